import { describe, expect, it } from 'vitest';
import { formatMailbox } from './mailbox.js';

describe('From mailbox', () => {
  it('plain names as they are, specials quoted and escaped, no line breaks', () => {
    expect(formatMailbox('a@b.co')).toBe('a@b.co');
    expect(formatMailbox('a@b.co', 'Shop')).toBe('Shop <a@b.co>');
    expect(formatMailbox('a@b.co', 'Shop, Inc.')).toBe('"Shop, Inc." <a@b.co>');
    expect(formatMailbox('a@b.co', 'The "Best" \\ Shop')).toBe('"The \\"Best\\" \\\\ Shop" <a@b.co>');
    expect(formatMailbox('a@b.co', 'Evil\r\nBcc: x@y.z')).toBe('"Evil Bcc: x@y.z" <a@b.co>');
    expect(formatMailbox('a@b.co', '   ')).toBe('a@b.co');
  });
});
