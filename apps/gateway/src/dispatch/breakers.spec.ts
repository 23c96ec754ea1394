import { describe, expect, it } from 'vitest';
import { Breakers } from './breakers.js';

describe('provider circuit breakers', () => {
  it('open after consecutive failures, stay open for the cool-down, then let one trial through', () => {
    let now = 0;
    const breakers = new Breakers({ threshold: 3, cooldownMs: 1_000 }, () => now);
    breakers.failure('p');
    breakers.failure('p');
    expect(breakers.allows('p')).toBe(true);
    breakers.failure('p');
    expect(breakers.state('p')).toBe('open');
    expect(breakers.allows('p')).toBe(false);
    now = 1_000;
    expect(breakers.allows('p')).toBe(true);
    expect(breakers.allows('p')).toBe(false);
    breakers.success('p');
    expect(breakers.state('p')).toBe('closed');
  });

  it('re-open when the half-open trial fails; a success in between resets the count', () => {
    let now = 0;
    const breakers = new Breakers({ threshold: 2, cooldownMs: 100 }, () => now);
    breakers.failure('p');
    breakers.success('p');
    breakers.failure('p');
    expect(breakers.state('p')).toBe('closed');
    breakers.open('p');
    now = 100;
    expect(breakers.allows('p')).toBe(true);
    breakers.failure('p');
    expect(breakers.state('p')).toBe('open');
    expect(breakers.allows('q')).toBe(true);
  });
});
