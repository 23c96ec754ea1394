import { describe, expect, it } from 'vitest';
import { toCsv } from '../src/lib/csv.js';

describe('log export as CSV', () => {
  const columns = [
    { header: 'id', value: (r: { id: string; n: number | null }) => r.id },
    { header: 'n', value: (r: { id: string; n: number | null }) => r.n },
  ];

  it('writes a header row and one line per row, CRLF-terminated, empty for null', () => {
    expect(toCsv([{ id: 'a', n: 1 }, { id: 'b', n: null }], columns)).toBe('id,n\r\na,1\r\nb,\r\n');
  });

  it('quotes commas, quotes and line breaks', () => {
    expect(toCsv([{ id: 'x,"y"\nz', n: 2 }], columns)).toBe('id,n\r\n"x,""y""\nz",2\r\n');
  });

  it('defuses values a spreadsheet would run as a formula', () => {
    expect(toCsv([{ id: '=HYPERLINK("http://evil")', n: 0 }, { id: '+1', n: 0 }, { id: '@x', n: 0 }], columns)).toBe(
      `id,n\r\n"'=HYPERLINK(""http://evil"")",0\r\n'+1,0\r\n'@x,0\r\n`,
    );
  });
});
