/** The locale every chain ends with (SPEC §3 step 2). */
export const FALLBACK_LOCALE = 'en';

/** The canonical form of a BCP 47 tag (`EN-us` → `en-US`), or undefined when it is not one. */
export function canonicalLocale(tag: string | null | undefined): string | undefined {
  if (typeof tag !== 'string' || tag.trim() === '') return undefined;
  try {
    return Intl.getCanonicalLocales(tag.trim())[0];
  } catch {
    return undefined;
  }
}

/**
 * The locales to try, in order, when looking up a template (SPEC §3 step 2): the requested
 * locale, then its shorter forms down to the bare language (`zh-Hant-TW` → `zh-Hant` → `zh`,
 * RFC 4647 lookup), then the tenant's default locale and its shorter forms, then `en`.
 * Tags are canonicalised, invalid ones skipped, duplicates dropped. The caller runs the chain
 * over the tenant's templates first and then over the global ones.
 */
export function localeChain(requested: string | null | undefined, tenantDefault: string | null | undefined): string[] {
  const chain: string[] = [];
  const add = (tag: string) => {
    if (!chain.includes(tag)) chain.push(tag);
  };
  for (const tag of [requested, tenantDefault]) {
    const canonical = canonicalLocale(tag);
    if (canonical) truncations(canonical).forEach(add);
  }
  add(FALLBACK_LOCALE);
  return chain;
}

/** `de-DE-u-co-phonebk` → [that, `de-DE`, `de`]; a singleton left at the end goes too. */
function truncations(tag: string): string[] {
  const result = [tag];
  const subtags = tag.split('-');
  while (subtags.length > 1) {
    subtags.pop();
    while (subtags.length > 1 && (subtags.at(-1)?.length ?? 0) === 1) subtags.pop();
    result.push(subtags.join('-'));
  }
  return result;
}

/**
 * The first locale of `chain` among `available` (template locales as stored), compared
 * canonically so `pt-br` matches `pt-BR`. Returns the stored spelling, or undefined.
 */
export function pickLocale(chain: readonly string[], available: readonly string[]): string | undefined {
  const byCanonical = new Map<string, string>();
  for (const stored of available) {
    const canonical = canonicalLocale(stored);
    if (canonical && !byCanonical.has(canonical)) byCanonical.set(canonical, stored);
  }
  for (const locale of chain) {
    const stored = byCanonical.get(locale);
    if (stored !== undefined) return stored;
  }
  return undefined;
}
