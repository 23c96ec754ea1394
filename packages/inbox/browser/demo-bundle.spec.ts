import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { DEMO_OUTPUT, demoScript } from '../scripts/bundles.mjs';

describe('the demo page’s /demo/inbox.js', () => {
  it('is the current build of the component and the demo page code (else: npm run build -w @orqestra/inbox)', async () => {
    expect(await readFile(DEMO_OUTPUT, 'utf8')).toBe(await demoScript());
  });
});
