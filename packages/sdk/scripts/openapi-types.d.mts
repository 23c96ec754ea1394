/** Keeps the tenant paths of an OpenAPI document and only the component schemas they reach. */
export function tenantSubset(document: unknown): unknown;
/** The text of src/generated/openapi.ts for one served document. */
export function generateTypes(document: unknown): Promise<string>;
