/**
 * Whether PostgreSQL refused the statement because of the data itself: SQLSTATE class 22 (data
 * exception, e.g. a NUL byte in text) or 23 (integrity violation, e.g. a row of a tenant that no
 * longer exists). Sending the same statement again cannot succeed, so callers stop retrying it;
 * anything else (a connection lost, a restart, a timeout) may pass on a retry.
 */
export function isDataRejection(error: unknown): boolean {
  const sqlState = (error as { code?: unknown } | null)?.code;
  return typeof sqlState === 'string' && /^2[23]/.test(sqlState);
}
