/**
 * SMS length and segment counting (3GPP TS 23.038 / 23.040).
 *
 * A message is sent in GSM-7 when every character is in the GSM 03.38 basic set or its
 * extension table (an extension character costs two septets: the escape and the character);
 * otherwise the whole message goes as UCS-2, where each UTF-16 code unit costs one unit.
 * One segment carries 160 septets or 70 code units; a concatenated message loses room to its
 * header, leaving 153 septets or 67 code units per part. Counting never splits an escape
 * sequence or a surrogate pair across parts, as senders do not either.
 */
export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsReport {
  encoding: SmsEncoding;
  /** Characters as a reader counts them (Unicode code points). */
  characters: number;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) the text costs. */
  units: number;
  segments: number;
  /** Units one segment holds at this length: 160/153 (GSM-7) or 70/67 (UCS-2). */
  unitsPerSegment: number;
  /** The distinct characters that forced UCS-2 (empty for GSM-7). */
  nonGsmCharacters: string[];
}

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' + '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '\f^{}\\[~]|€';
const BASIC = new Set(GSM_BASIC);
const EXTENSION = new Set(GSM_EXTENSION);

const LIMITS: Record<SmsEncoding, { single: number; part: number }> = {
  'GSM-7': { single: 160, part: 153 },
  'UCS-2': { single: 70, part: 67 },
};

/** What a character costs in GSM-7 septets, or undefined when GSM-7 cannot carry it. */
export function gsmSeptets(char: string): 1 | 2 | undefined {
  if (BASIC.has(char)) return 1;
  if (EXTENSION.has(char)) return 2;
  return undefined;
}

export function smsReport(text: string): SmsReport {
  const chars = Array.from(text); // code points, so a surrogate pair stays one item
  const nonGsm = [...new Set(chars.filter((c) => gsmSeptets(c) === undefined))];
  const encoding: SmsEncoding = nonGsm.length === 0 ? 'GSM-7' : 'UCS-2';
  const costs = chars.map((c) => (encoding === 'GSM-7' ? (gsmSeptets(c) ?? 1) : c.length));
  const units = costs.reduce((sum, cost) => sum + cost, 0);
  const { single, part } = LIMITS[encoding];
  return {
    encoding,
    characters: chars.length,
    units,
    segments: units === 0 ? 0 : units <= single ? 1 : countParts(costs, part),
    unitsPerSegment: units <= single ? single : part,
    nonGsmCharacters: nonGsm,
  };
}

/** Packs indivisible costs greedily into parts of `capacity` units. */
function countParts(costs: number[], capacity: number): number {
  let parts = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > capacity) {
      parts++;
      used = 0;
    }
    used += cost;
  }
  return parts;
}
