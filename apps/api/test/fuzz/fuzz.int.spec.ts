import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzPhase, startFuzzTarget, type FuzzPhase, type FuzzTarget } from './fuzz-target.js';

/**
 * Schema-driven fuzzing in every `npm test`, bounded: the examples and fuzzing phases with
 * FUZZ_MAX_EXAMPLES cases per operation (default 10). `npm run fuzz` runs the same suite with
 * the coverage phase too and 150 per operation, over 10,000 cases (100 would give about 10,000
 * at most: 5 of the operations take no input and several only a few values). Passes only with
 * 0 server errors and 0 responses that break the documented schema. FUZZ_SEED replays a run.
 */
const maxExamples = Number(process.env.FUZZ_MAX_EXAMPLES ?? '10');
const phases = process.env.FUZZ_PHASES ?? 'examples,fuzzing';
const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' };
const venv = process.env.ORQ_SCHEMATHESIS_VENV ?? `${process.env.ORQ_STATE_DIR ?? '/var/tmp/orqestra'}/venv-schemathesis`;
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

function summary(phase: FuzzPhase): string {
  return `fuzz ${phase.name}: ${phase.cases} cases over ${phase.operations} operations, failures ${JSON.stringify(phase.failures)}`;
}

describe('Schemathesis against /api/docs.json', () => {
  let target: FuzzTarget;
  beforeAll(async () => {
    target = await startFuzzTarget();
  }, 180_000);
  afterAll(async () => {
    await target?.stop();
  });

  it.each(['client', 'operator'] as const)(
    'the %s routes: no server error, every response as documented',
    async (name) => {
      const phase = await fuzzPhase(target, name, { maxExamples, phases, venv, env, ...(seed !== undefined ? { seed } : {}) });
      process.stdout.write(`${summary(phase)}\n`);
      if (phase.exitCode !== 0) process.stdout.write(phase.output.slice(-20_000));
      expect(phase.cases, phase.output.slice(-3_000)).toBeGreaterThan(0);
      expect(phase.failures, summary(phase)).toEqual({});
      expect(phase.exitCode, phase.output.slice(-6_000)).toBe(0);
    },
    1_800_000,
  );
});
