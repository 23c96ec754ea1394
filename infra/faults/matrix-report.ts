import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Profile, ScenarioResult } from './fault-matrix.js';

/**
 * The fault matrix as a markdown table (scenario × vendor), written under the instance's state
 * directory and, for `npm run test:faults`, into docs/reliability.md between its markers.
 */
export const START = '<!-- fault-matrix:start -->';
export const END = '<!-- fault-matrix:end -->';

const seconds = (ms: number | undefined) => (ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`);

export function renderTable(results: ScenarioResult[]): string {
  const lines = [
    '| scenario | vendor | accepted | delivered once | lost | duplicated (ambiguous-backed) | drain | apps | result |',
    '|---|---|---:|---:|---:|---:|---:|---|---|',
  ];
  for (const result of results) {
    const apps = [
      result.appsDown.length > 0 ? `down: ${result.appsDown.join(', ')}` : 'all up',
      result.appsRestarted.length > 0 ? `restarted by supervisor: ${result.appsRestarted.join(', ')}` : '',
      result.push ? `PUSH ${result.push.sent}/${result.push.expected} SENT` : '',
    ]
      .filter(Boolean)
      .join('; ');
    for (const [i, v] of result.vendors.entries()) {
      const vendor = v.vendor === 'resend' ? 'Resend-like (idempotent)' : 'SendGrid-like (no idempotency)';
      const extra = [v.failed > 0 ? `${v.failed} FAILED` : '', v.notTerminal > 0 ? `${v.notTerminal} not terminal` : '']
        .filter(Boolean)
        .join(', ');
      lines.push(
        `| ${i === 0 ? result.scenario.title : ''} | ${vendor} | ${v.accepted} | ${v.deliveredOnce} | ${v.lost}${extra ? ` (${extra})` : ''} | ` +
          `${v.duplicated} (${v.ambiguousBacked}) | ${result.drained ? seconds(v.drainMs) : `not drained (last send ${seconds(v.drainMs)})`} | ` +
          `${i === 0 ? apps : ''} | ${i === 0 ? (result.passed ? 'pass' : '**FAIL**') : ''} |`,
      );
    }
  }
  return lines.join('\n');
}

export function renderReport(results: ScenarioResult[], meta: { profile: Profile; command: string; root: string }): string {
  const commit = (() => {
    try {
      return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: meta.root, encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  })();
  const failures = results
    .filter((r) => !r.passed)
    .map((r) => `- ${r.scenario.title}: ${r.failures.map((f) => f.split('\n')[0]).join('; ')}`);
  const notes = results.filter((r) => r.notes.length > 0).map((r) => `- ${r.scenario.title}: ${r.notes.join('; ')}`);
  return [
    `Run of ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC at commit \`${commit}\`, profile \`${meta.profile.name}\` ` +
      `(${meta.profile.ratePerSecond} events/s over both tenants, load kept ${meta.profile.afterFaultMs / 1000} s after each fault), ` +
      `reproduced with \`${meta.command}\`. Drain = fault → last delivery at the vendor.`,
    '',
    renderTable(results),
    ...(failures.length > 0 ? ['', 'Failures:', ...failures] : []),
    ...(notes.length > 0 ? ['', 'Notes:', ...notes] : []),
  ].join('\n');
}

/** Replaces the block between the markers of docs/reliability.md (adds it at the end of "## Faults" when missing). */
export function writeDocsBlock(path: string, report: string): void {
  const text = readFileSync(path, 'utf8');
  const block = `${START}\n${report}\n${END}`;
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start >= 0 && end > start) {
    writeFileSync(path, `${text.slice(0, start)}${block}${text.slice(end + END.length)}`);
    return;
  }
  const heading = text.indexOf('\n## Faults');
  if (heading < 0) throw new Error(`${path} has no "## Faults" section`);
  const next = text.indexOf('\n## ', heading + 1);
  const at = next < 0 ? text.length : next;
  writeFileSync(path, `${text.slice(0, at).trimEnd()}\n\n${block}\n${text.slice(at)}`);
}
