import { describe, expect, it } from 'vitest';
import { MAX_VENDOR_TEXT, redactVendorText } from './redact.js';

describe('vendor text in outcome messages', () => {
  it('removes given secrets and recipients, then anything that looks like an address, a number or a token', () => {
    expect(redactVendorText("The 'To' number +1 (555) 010-9999 is not a valid phone number.")).toBe(
      "The 'To' number [number] is not a valid phone number.",
    );
    expect(redactVendorText('Invalid `to` field: ada@example.com')).toBe('Invalid `to` field: [email]');
    expect(redactVendorText('key re_abc123 rejected', ['re_abc123'])).toBe('key [redacted] rejected');
    expect(redactVendorText(`bad token ${'a'.repeat(40)}`)).toBe('bad token [token]');
  });

  it('keeps short codes and ordinary words, collapses whitespace, truncates', () => {
    expect(redactVendorText('validation_error:\n  Missing `subject`')).toBe('validation_error: Missing `subject`');
    expect(redactVendorText('word '.repeat(100))).toHaveLength(MAX_VENDOR_TEXT);
    expect(redactVendorText(undefined)).toBe('');
  });
});
