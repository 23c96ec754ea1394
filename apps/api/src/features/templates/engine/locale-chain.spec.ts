import { describe, expect, it } from 'vitest';
import { canonicalLocale, localeChain, pickLocale } from './locale-chain.js';

describe('localeChain', () => {
  it('tries the exact locale, its language, the tenant default, then en', () => {
    expect(localeChain('de-AT', 'fr')).toEqual(['de-AT', 'de', 'fr', 'en']);
  });

  it('also tries the language of a regional tenant default before en', () => {
    expect(localeChain('de-AT', 'fr-CA')).toEqual(['de-AT', 'de', 'fr-CA', 'fr', 'en']);
  });

  it('canonicalises tags so stored and requested spellings meet', () => {
    expect(localeChain('EN-gb', 'PT-br')).toEqual(['en-GB', 'en', 'pt-BR', 'pt']);
  });

  it('drops duplicates while keeping the first position', () => {
    expect(localeChain('en-US', 'en')).toEqual(['en-US', 'en']);
    expect(localeChain('en', 'en')).toEqual(['en']);
  });

  it('ignores tags that are not BCP 47', () => {
    expect(localeChain('not a locale!', 'de')).toEqual(['de', 'en']);
    expect(localeChain('de', '???')).toEqual(['de', 'en']);
  });

  it('falls back to the tenant default and en when no locale is requested', () => {
    expect(localeChain(undefined, 'es-MX')).toEqual(['es-MX', 'es', 'en']);
    expect(localeChain(null, null)).toEqual(['en']);
    expect(localeChain('', undefined)).toEqual(['en']);
  });

  it('shortens script and extension subtags one at a time', () => {
    expect(localeChain('zh-Hant-TW', undefined)).toEqual(['zh-Hant-TW', 'zh-Hant', 'zh', 'en']);
    expect(localeChain('de-DE-u-co-phonebk', undefined)).toEqual(['de-DE-u-co-phonebk', 'de-DE-u-co', 'de-DE', 'de', 'en']);
  });
});

describe('canonicalLocale', () => {
  it('returns the canonical tag or undefined', () => {
    expect(canonicalLocale('en-us')).toBe('en-US');
    expect(canonicalLocale(' fr ')).toBe('fr');
    expect(canonicalLocale('x')).toBeUndefined();
    expect(canonicalLocale(undefined)).toBeUndefined();
  });
});

describe('pickLocale', () => {
  it('returns the first locale of the chain that has a template, in its stored spelling', () => {
    expect(pickLocale(localeChain('pt-BR', 'en'), ['en', 'pt-br'])).toBe('pt-br');
    expect(pickLocale(localeChain('de-AT', 'fr'), ['en', 'fr'])).toBe('fr');
    expect(pickLocale(localeChain('de-AT', 'fr'), ['de', 'fr'])).toBe('de');
  });

  it('returns undefined when nothing matches, so the caller moves on to the global templates', () => {
    expect(pickLocale(localeChain('de', undefined), ['fr', 'es'])).toBeUndefined();
  });
});
