/**
 * Runs once when the console's server starts (Next's instrumentation hook), before it serves a page:
 * stamps each request with the X-Forwarded-For the /api/* proxy sends on, its TCP peer appended (src/peer-address.ts).
 */
export async function register(): Promise<void> {
  // NEXT_RUNTIME is set by Next itself at build time (not configuration): only the Node.js server has sockets.
  // eslint-disable-next-line no-restricted-syntax
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { stampForwardedFor } = await import('./peer-address');
  stampForwardedFor();
}
