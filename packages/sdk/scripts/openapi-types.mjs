// Turns the API's OpenAPI document into the TypeScript declarations the SDK compiles against.
// Shared by `npm run generate -w @orqestra/node` (writes src/generated/openapi.ts) and the drift
// check (packages/sdk/src/openapi-drift.int.spec.ts), so both produce the same text.
import openapiTS, { astToString } from 'openapi-typescript';

/** The SDK covers the tenant API only; admin routes change on their own schedule. */
const SDK_PATHS = /^\/api\/v1\/(events|auth\/realtime-token|inbox)(\/|$)/;

const HEADER = [
  "// Generated from the API's /api/docs.json by packages/sdk/scripts/generate-types.mjs",
  '// (openapi-typescript). Do not edit: run `npm run generate -w @orqestra/node` against a running API.',
  '// The drift check in src/openapi-drift.int.spec.ts fails when this file no longer matches.',
  '',
].join('\n');

/** Keeps the tenant paths and only the component schemas they reach. */
export function tenantSubset(document) {
  const paths = Object.fromEntries(Object.entries(document.paths ?? {}).filter(([path]) => SDK_PATHS.test(path)));
  const schemas = document.components?.schemas ?? {};
  const reached = new Set();
  const visit = (node) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/')) {
        const name = value.slice('#/components/schemas/'.length);
        if (!reached.has(name) && name in schemas) {
          reached.add(name);
          visit(schemas[name]);
        }
      } else visit(value);
    }
  };
  visit(paths);
  const components = { ...document.components, schemas: Object.fromEntries([...reached].sort().map((name) => [name, schemas[name]])) };
  return { ...document, paths, components };
}

/** The generated file's full text for one served document. */
export async function generateTypes(document) {
  const ast = await openapiTS(tenantSubset(document), { alphabetize: true });
  return HEADER + astToString(ast);
}
