/**
 * The console's settings, read once from the environment (the only place that reads process.env).
 * Server-side only: nothing here reaches a client bundle (no NEXT_PUBLIC_ variables).
 */
function url(name: string, value: string | undefined, fallback: string): string {
  const raw = value && value.length > 0 ? value : fallback;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new Error(`${name} must be an http(s) URL, got "${raw}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`${name} must be an http(s) URL`);
  return parsed.origin;
}

export const config = {
  /** Where the admin API listens; the console forwards /api/* there (same origin for the browser). */
  apiUrl: url('ADMIN_API_URL', process.env.ADMIN_API_URL, 'http://127.0.0.1:3000'),
};
