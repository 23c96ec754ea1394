import { describe, expect, it } from 'vitest';
import { auditedFilters, toCsv } from './csv-export.js';

describe('CSV export', () => {
  const columns = [
    { header: 'id', value: (r: { id: string; n: number | null }) => r.id },
    { header: 'n', value: (r: { id: string; n: number | null }) => r.n },
  ];

  it('writes a header row and one line per row, CRLF-terminated, empty for null', () => {
    expect(
      toCsv(
        [
          { id: 'a', n: 1 },
          { id: 'b', n: null },
        ],
        columns,
      ),
    ).toBe('id,n\r\na,1\r\nb,\r\n');
    expect(toCsv([], columns)).toBe('id,n\r\n');
  });

  it('quotes commas, quotes and line breaks', () => {
    expect(toCsv([{ id: 'x,"y"\nz', n: 2 }], columns)).toBe('id,n\r\n"x,""y""\nz",2\r\n');
  });

  it('defuses values a spreadsheet would run as a formula', () => {
    expect(
      toCsv(
        [
          { id: '=HYPERLINK("http://evil")', n: 0 },
          { id: '+1', n: 0 },
          { id: '@x', n: 0 },
          { id: '-2+3', n: 0 },
          { id: '\t=1', n: 0 },
          { id: '\r=1', n: 0 },
        ],
        columns,
      ),
    ).toBe(`id,n\r\n"'=HYPERLINK(""http://evil"")",0\r\n'+1,0\r\n'@x,0\r\n'-2+3,0\r\n'\t=1,0\r\n"'\r=1",0\r\n`);
    expect(toCsv([{ id: 'a=1', n: 0 }], columns)).toBe('id,n\r\na=1,0\r\n');
  });

  it('records the filters of an export with dates as ISO text and unset ones left out', () => {
    expect(auditedFilters({ status: 'FAILED', channel: undefined, from: new Date('2026-12-04T00:00:00Z') })).toEqual({
      status: 'FAILED',
      from: '2026-12-04T00:00:00.000Z',
    });
  });
});
