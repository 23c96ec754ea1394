import { readdirSync, readFileSync } from 'node:fs';
import { ERROR_CODES, isErrorCode } from '@orqestra/contracts';
import { describe, expect, it } from 'vitest';
import { AppError } from './errors.js';

describe('AppError and the HTTP view of the code catalog', () => {
  it('has an HTTP error status for every code an AppError can carry, and uses its message by default', () => {
    for (const code of Object.keys(ERROR_CODES) as (keyof typeof ERROR_CODES)[]) {
      const error = new AppError(code);
      expect({ code, status: ERROR_CODES[code].status >= 400 && ERROR_CODES[code].status < 600, message: error.message }).toEqual({
        code,
        status: true,
        message: ERROR_CODES[code].message,
      });
    }
  });

  it('is raised in the API only with codes of the catalog that have an HTTP status', () => {
    const src = new URL('../', import.meta.url);
    const raised = new Set<string>();
    for (const file of readdirSync(src, { recursive: true }) as string[]) {
      if (!file.endsWith('.ts') || file.endsWith('.spec.ts')) continue;
      const text = readFileSync(new URL(file, src), 'utf8');
      for (const m of text.matchAll(/new AppError\('([A-Z][A-Z_]+)'/g)) raised.add(m[1]!);
    }
    expect(raised.size).toBeGreaterThan(20);
    expect([...raised].filter((code) => !isErrorCode(code))).toEqual([]);
    // A refused admin login is INVALID_LOGIN; INVALID_CREDENTIALS is a vendor refusing a provider config's credentials.
    expect(raised).toContain('INVALID_LOGIN');
    expect(raised).not.toContain('INVALID_CREDENTIALS');
  });
});
