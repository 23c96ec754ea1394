import type { FastifyReply } from 'fastify';
import { z } from 'zod';

/**
 * CSV exports of admin lists (the logs and the audit log, ADMIN-UI §3.3: "CSV of the current filter,
 * bounded and audited"). RFC 4180: CRLF line ends, a field quoted when it holds a quote, comma or
 * line break. A field a spreadsheet would take for a formula (starting with =, +, -, @, tab or CR) is
 * prefixed with an apostrophe, so that an event type, recipient or user agent written by someone else
 * never runs as a formula in the reader's spreadsheet (CSV injection, OWASP).
 */
export interface CsvColumn<T> {
  header: string;
  value: (row: T) => string | number | boolean | null | undefined;
}

export function toCsv<T>(rows: readonly T[], columns: readonly CsvColumn<T>[]): string {
  const line = (fields: string[]) => fields.map(csvField).join(',');
  return (
    [line(columns.map((c) => c.header)), ...rows.map((row) => line(columns.map((c) => String(c.value(row) ?? ''))))].join('\r\n') + '\r\n'
  );
}

export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** An export holds at most this many rows, newest first (`limit` may ask for fewer). */
export const EXPORT_MAX_ROWS = 10_000;

export const exportLimitQuery = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(EXPORT_MAX_ROWS)
    .default(EXPORT_MAX_ROWS)
    .meta({
      description: `Most rows in the file, newest first (at most ${EXPORT_MAX_ROWS}); X-Orqestra-Export-Truncated says whether more matched`,
    }),
};

/** What an export answers: the file and how many rows it holds, and whether more matched than it holds. */
export interface CsvExport {
  csv: string;
  rows: number;
  truncated: boolean;
}

export const EXPORT_ROWS_HEADER = 'x-orqestra-export-rows';
export const EXPORT_TRUNCATED_HEADER = 'x-orqestra-export-truncated';

/** Sends an export as a download named `<name>-<UTC time>.csv`. */
export function sendCsv(reply: FastifyReply, name: string, result: CsvExport, now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/[-:]/g, '');
  void reply.headers({
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${name}-${stamp}.csv"`,
    'cache-control': 'no-store',
    [EXPORT_ROWS_HEADER]: String(result.rows),
    [EXPORT_TRUNCATED_HEADER]: String(result.truncated),
  });
  return result.csv;
}

/** The filters of an export as its audit entry records them (dates as ISO text, unset ones left out). */
export function auditedFilters(filter: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(filter).flatMap(([k, v]) => (v === undefined ? [] : [[k, v instanceof Date ? v.toISOString() : v]])),
  );
}

/** What an export's audit entry records (`after`): the filters as given, the cap, the rows written and whether more matched. */
export function exportAuditRecord(filter: object, limit: number, result: CsvExport) {
  return {
    format: 'csv',
    filters: auditedFilters(filter as Record<string, unknown>),
    limit,
    rows: result.rows,
    truncated: result.truncated,
  };
}

/** The OpenAPI answer of an export route: the file and its two headers. */
export function csvExportResponse(description: string) {
  return {
    description,
    headers: {
      'Content-Disposition': { description: 'attachment; filename="<name>-<UTC time>.csv"', schema: { type: 'string' as const } },
      'X-Orqestra-Export-Rows': { description: 'Rows in the file (the header line not counted)', schema: { type: 'integer' as const } },
      'X-Orqestra-Export-Truncated': {
        description: 'true when more rows matched than the file holds (narrow the filters or the time range)',
        schema: { type: 'string' as const, enum: ['true', 'false'] },
      },
    },
    content: {
      'text/csv': {
        schema: z.string().meta({
          description: `RFC 4180, UTF-8, CRLF; a header line, then one line per row, newest first. Fields starting with = + - @ tab or CR are prefixed with ' (no formula runs in a spreadsheet).`,
        }),
      },
    },
  };
}
