// Usage: npm run generate -w @orqestra/node [-- <api base url>] (default
// http://127.0.0.1:3000). Fetches /api/docs.json and rewrites src/generated/openapi.ts.
import { writeFile } from 'node:fs/promises';
import { generateTypes } from './openapi-types.mjs';

const base = process.argv[2] ?? 'http://127.0.0.1:3000';
const response = await fetch(new URL('/api/docs.json', base));
if (!response.ok) throw new Error(`GET ${base}/api/docs.json answered ${response.status}`);
const target = new URL('../src/generated/openapi.ts', import.meta.url);
await writeFile(target, await generateTypes(await response.json()));
console.log(`wrote ${target.pathname}`);
