/** Longest vendor text we copy into an outcome message. */
export const MAX_VENDOR_TEXT = 160;

const EMAIL = /[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g;
// A phone number: optional +, then 7+ digits possibly split by spaces, dots, dashes or brackets.
const PHONE = /\+?\d[\d\s().-]{5,}\d/g;
// Long opaque tokens (API keys, SIDs with secrets appended, bearer tokens).
const TOKEN = /\b[A-Za-z0-9_-]{32,}\b/g;

/**
 * Makes a short vendor error text safe for an outcome message, which ends up in the delivery log
 * and dead letters: removes the given secrets and recipient values verbatim, then anything that
 * looks like an e-mail address, a phone number or a long token, and truncates. Vendors echo
 * recipients in their messages ("The 'To' number +1555... is not a valid phone number").
 */
export function redactVendorText(text: unknown, sensitive: readonly (string | undefined)[] = []): string {
  if (typeof text !== 'string') return '';
  let out = text;
  for (const value of sensitive) {
    if (value && value.length >= 3) out = out.split(value).join('[redacted]');
  }
  out = out.replace(EMAIL, '[email]').replace(PHONE, '[number]').replace(TOKEN, '[token]');
  out = out.replace(/\s+/g, ' ').trim();
  return out.length > MAX_VENDOR_TEXT ? `${out.slice(0, MAX_VENDOR_TEXT - 1)}…` : out;
}
