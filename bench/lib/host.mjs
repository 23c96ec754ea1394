// What the end-to-end benchmarks (bench:e2e, bench:push) share: CPU use per process from /proc
// (Linux), and writing their section of docs/benchmarks.md.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** utime + stime of a process, in clock ticks (0 once it is gone). */
export function cpuTicks(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** Busy ticks of all CPUs together (user + nice + system + irq + softirq + steal). */
function machineBusyTicks() {
  const [, user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  return user + nice + system + irq + softirq + steal;
}

/** Pids that `pgrep <args>` lists (none when it finds nothing). */
export function pidsOf(args) {
  try {
    return execFileSync('pgrep', args).toString().trim().split('\n').map(Number);
  } catch {
    return [];
  }
}

/** The local stack's servers; PostgreSQL and Centrifugo may be several processes. */
export const STACK_PROCESSES = {
  centrifugo: () => pidsOf(['-f', 'centrifugo --config']),
  kafka: () => pidsOf(['-f', 'kafka.Kafka']),
  postgres: () => pidsOf(['-x', 'postgres']),
  redis: () => pidsOf(['-x', 'redis-server']),
};

/**
 * CPU use between two snapshots, in % of one core, for named processes: a pid, or a function
 * returning the pids of a group (read again at each snapshot). Counted per pid, so a PostgreSQL
 * backend that exits between the snapshots is missed, never counted negative. `machine` is every
 * CPU's busy time, everything on the host included.
 */
export function cpuMeter(processes) {
  const snapshot = () => ({
    ...Object.fromEntries(Object.entries(processes).map(([name, p]) => [name, new Map((typeof p === 'function' ? p() : [p]).map((pid) => [pid, cpuTicks(pid)]))])),
    machine: new Map([[0, machineBusyTicks()]]),
  });
  const used = (before, after) => [...after].reduce((sum, [pid, ticks]) => sum + (ticks - (before.get(pid) ?? 0)), 0);
  return {
    snapshot,
    /** % of one core per name between `before` and now, over `seconds`. */
    since: (before, seconds) => {
      const after = snapshot();
      return Object.fromEntries(Object.keys(after).map((name) => [name, (used(before[name], after[name]) / CLK_TCK / seconds) * 100]));
    },
  };
}

/** Replaces (or appends) the `## <title>` section of docs/benchmarks.md with `markdown`. */
export function writeSection(root, title, markdown) {
  const file = join(root, 'docs/benchmarks.md');
  const doc = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const start = doc.indexOf(`## ${title}\n`);
  let updated;
  if (start === -1) updated = `${doc.trimEnd()}\n\n${markdown}`;
  else {
    const end = doc.indexOf('\n## ', start + 1);
    updated = `${doc.slice(0, start)}${markdown.trimEnd()}\n${end === -1 ? '' : `\n${doc.slice(end + 1)}`}`;
  }
  writeFileSync(file, `${updated.trimEnd()}\n`);
}
