/**
 * Runs a batch with per-key order and parallelism across keys (SPEC §3 fairness): messages of one
 * key (tenant:user) one after another, different keys at once, at most `concurrency` in flight.
 */
export async function runByKey<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const queues = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const queue = queues.get(key);
    if (queue) queue.push(item);
    else queues.set(key, [item]);
  }
  const lanes = [...queues.values()];
  let next = 0;
  const errors: unknown[] = [];
  const worker = async () => {
    while (next < lanes.length) {
      const lane = lanes[next++]!;
      for (const item of lane) {
        try {
          await work(item);
        } catch (error) {
          errors.push(error);
          break;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, lanes.length) }, worker));
  if (errors.length > 0) throw errors[0];
}
