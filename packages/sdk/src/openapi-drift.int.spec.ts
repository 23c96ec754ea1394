import { readFile } from 'node:fs/promises';
import { describe, expect, inject, it } from 'vitest';
import { generateTypes } from '../scripts/openapi-types.mjs';

describe('the SDK’s generated types', () => {
  it('match what openapi-typescript makes of the /api/docs.json the API serves (else: npm run generate -w @orqestra/node)', async () => {
    const served = (await (await fetch(`${inject('apiUrl')}/api/docs.json`)).json()) as unknown;
    const committed = await readFile(new URL('./generated/openapi.ts', import.meta.url), 'utf8');
    expect(committed).toBe(await generateTypes(served));
  });
});
