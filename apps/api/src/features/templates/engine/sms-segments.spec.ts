import { describe, expect, it } from 'vitest';
import { gsmSeptets, smsReport } from './sms-segments.js';

describe('smsReport', () => {
  it('fits 160 GSM characters in one segment and needs two for 161', () => {
    expect(smsReport('a'.repeat(160))).toMatchObject({ encoding: 'GSM-7', units: 160, segments: 1, unitsPerSegment: 160 });
    expect(smsReport('a'.repeat(161))).toMatchObject({ encoding: 'GSM-7', units: 161, segments: 2, unitsPerSegment: 153 });
  });

  it('packs long GSM messages 153 septets per part', () => {
    expect(smsReport('a'.repeat(306)).segments).toBe(2);
    expect(smsReport('a'.repeat(307)).segments).toBe(3);
  });

  it('charges two septets for a € and the other extension characters', () => {
    expect(gsmSeptets('€')).toBe(2);
    for (const char of ['^', '{', '}', '\\', '[', '~', ']', '|']) expect(gsmSeptets(char)).toBe(2);
    expect(smsReport(`${'a'.repeat(158)}€`)).toMatchObject({ encoding: 'GSM-7', characters: 159, units: 160, segments: 1 });
    expect(smsReport(`${'a'.repeat(159)}€`)).toMatchObject({ units: 161, segments: 2 });
  });

  it('keeps accented letters of the GSM alphabet in GSM-7', () => {
    const report = smsReport('Grüße aus Köln: 5 £, ¿Qué? Ñoño à la carte, Øre Åse ΔΣ è ù ì ò');
    expect(report.encoding).toBe('GSM-7');
    expect(report.nonGsmCharacters).toEqual([]);
  });

  it('treats accented letters outside the GSM alphabet as UCS-2', () => {
    expect(smsReport('à la fête').nonGsmCharacters).toEqual(['ê']);
  });

  it('switches the whole message to UCS-2 for one emoji and names the culprit', () => {
    const report = smsReport('Your order shipped 🚚');
    expect(report.encoding).toBe('UCS-2');
    expect(report.nonGsmCharacters).toEqual(['🚚']);
    expect(report.characters).toBe(20);
    expect(report.units).toBe(21); // the emoji is a surrogate pair: two UTF-16 units
  });

  it('fits 70 UCS-2 units in one segment and needs two for 71', () => {
    expect(smsReport('Я'.repeat(70))).toMatchObject({ encoding: 'UCS-2', units: 70, segments: 1, unitsPerSegment: 70 });
    expect(smsReport('Я'.repeat(71))).toMatchObject({ encoding: 'UCS-2', units: 71, segments: 2, unitsPerSegment: 67 });
    expect(smsReport('Я'.repeat(134)).segments).toBe(2);
    expect(smsReport('Я'.repeat(135)).segments).toBe(3);
  });

  it('never splits an escape sequence across parts', () => {
    // 152 + 2 + 152 = 306 septets = 2 × 153, but the € cannot straddle parts 1 and 2.
    expect(smsReport(`${'a'.repeat(152)}€${'a'.repeat(152)}`)).toMatchObject({ units: 306, segments: 3 });
  });

  it('never splits a surrogate pair across parts', () => {
    // 66 + 2 + 66 = 134 units = 2 × 67, but the emoji cannot straddle parts 1 and 2.
    expect(smsReport(`${'Я'.repeat(66)}😀${'Я'.repeat(66)}`)).toMatchObject({ units: 134, segments: 3 });
  });

  it('reports an empty text as no segment', () => {
    expect(smsReport('')).toMatchObject({ encoding: 'GSM-7', characters: 0, units: 0, segments: 0 });
  });

  it('counts line breaks as one septet each', () => {
    expect(smsReport('line one\nline two\r\n').units).toBe(19);
  });
});
