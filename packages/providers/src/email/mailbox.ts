/** RFC 5322 `atext` plus space: a display name made only of these needs no quotes. */
const PLAIN_PHRASE = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]+$/;

/**
 * `Name <address>` for a From header, quoting the display name when it holds specials
 * (`Acme, Inc.` → `"Acme, Inc." <a@b>`). Line breaks are dropped so a name can never add headers.
 */
export function formatMailbox(address: string, name?: string): string {
  const cleanName = name?.replace(/[\r\n]+/g, ' ').trim();
  if (!cleanName) return address;
  const phrase = PLAIN_PHRASE.test(cleanName) ? cleanName : `"${cleanName.replace(/(["\\])/g, '\\$1')}"`;
  return `${phrase} <${address}>`;
}
