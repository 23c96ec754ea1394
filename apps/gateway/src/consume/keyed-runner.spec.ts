import { describe, expect, it } from 'vitest';
import { runByKey } from './keyed-runner.js';

describe('runByKey', () => {
  it('keeps per-key order while running different keys in parallel, within the concurrency cap', async () => {
    const log: string[] = [];
    let running = 0;
    let peak = 0;
    const items = ['a1', 'b1', 'a2', 'c1', 'b2', 'a3'];
    await runByKey(
      items,
      (i) => i[0]!,
      2,
      async (item) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, item.startsWith('a') ? 5 : 1));
        log.push(item);
        running--;
      },
    );
    expect(log.filter((i) => i.startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
    expect(log.filter((i) => i.startsWith('b'))).toEqual(['b1', 'b2']);
    expect(peak).toBe(2);
  });

  it('stops a key at its first failure (later messages of that key keep their order on redelivery) and reports it', async () => {
    const done: string[] = [];
    await expect(
      runByKey(
        ['a1', 'a2', 'b1'],
        (i) => i[0]!,
        4,
        async (item) => {
          if (item === 'a1') throw new Error('boom');
          done.push(item);
        },
      ),
    ).rejects.toThrow('boom');
    expect(done).toEqual(['b1']);
  });
});
