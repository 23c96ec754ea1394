/**
 * CSV (RFC 4180) of rows for auditors and spreadsheets: every field quoted when it holds a quote,
 * comma or line break, and a field that a spreadsheet would take for a formula (=, +, -, @, tab, CR)
 * prefixed with an apostrophe, so that an event type or recipient written by a tenant's backend can
 * never run as a formula in the admin's spreadsheet (CSV injection).
 */
export function toCsv<T>(rows: readonly T[], columns: readonly { header: string; value: (row: T) => string | number | boolean | null | undefined }[]): string {
  const line = (fields: string[]) => fields.map(field).join(',');
  return [line(columns.map((c) => c.header)), ...rows.map((row) => line(columns.map((c) => String(c.value(row) ?? ''))))].join('\r\n') + '\r\n';
}

function field(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
