// Writes dist/orqestra-inbox.js and the demo page's apps/api/public/demo/inbox.js.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { BROWSER_OUTPUT, DEMO_OUTPUT, browserBundle, demoScript } from './bundles.mjs';

await mkdir(dirname(BROWSER_OUTPUT), { recursive: true });
await writeFile(BROWSER_OUTPUT, await browserBundle());
await writeFile(DEMO_OUTPUT, await demoScript());
console.log(`wrote ${BROWSER_OUTPUT} and ${DEMO_OUTPUT}`);
