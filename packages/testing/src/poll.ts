/**
 * Polls `probe` until it returns a value that passes `until` (default: not undefined), or the
 * deadline passes. Tests synchronise with this, never with sleeps.
 */
export async function pollUntil<T>(
  probe: () => Promise<T> | T,
  options: { timeoutMs?: number; intervalMs?: number; until?: (value: T) => boolean; what?: string } = {},
): Promise<T> {
  const { timeoutMs = 10_000, intervalMs = 50, until = (value: T) => value !== undefined && value !== null } = options;
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await probe();
      if (until(last)) return last;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const detail = lastError instanceof Error ? `; last error: ${lastError.message}` : `; last value: ${JSON.stringify(last)}`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${options.what ?? 'condition'}${detail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
