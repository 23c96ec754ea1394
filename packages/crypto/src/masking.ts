/**
 * The tail of a secret that APIs may show ("APIs show only the last 4 characters").
 *
 * Reveals at most 4 characters and never more than a quarter of the secret, so a short secret
 * is not mostly given away: 16 characters or more → the last 4; 12–15 → 3; 8–11 → 2; 4–7 → 1;
 * fewer than 4 → '' (nothing). Counts Unicode code points, so a character is never split.
 * Returns only the characters; the caller adds any "••••" decoration.
 */
export function last4(secret: string): string {
  const characters = Array.from(secret);
  const shown = Math.min(4, Math.floor(characters.length / 4));
  return shown === 0 ? '' : characters.slice(-shown).join('');
}
