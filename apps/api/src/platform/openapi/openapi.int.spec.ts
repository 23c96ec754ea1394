import { validate } from '@readme/openapi-parser';
import { describe, expect, inject, it } from 'vitest';

describe('the OpenAPI document', () => {
  it('is served at /api/docs.json as valid OpenAPI 3.1 describing the trigger and status routes', async () => {
    const response = await fetch(`${inject('apiUrl')}/api/docs.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(document.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(document) as never);
    expect(result.valid, JSON.stringify(result)).toBe(true);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/events/trigger',
        '/api/v1/events/trigger/bulk',
        '/api/v1/events/{eventId}',
        '/api/v1/admin/tenants',
        '/api/v1/tenant/api-keys/rotate',
      ]),
    );
    // Generated from the validating schema: the body rules are the ones the API enforces.
    const body = JSON.stringify(document.paths['/api/v1/events/trigger']);
    expect(body).toContain('^[A-Za-z0-9._:-]+$');
    expect(body).toContain('"maxLength":200');
    expect(Object.keys(document.components.schemas)).toEqual(expect.arrayContaining(['Error', 'EventAccepted', 'EventStatus']));
  });

  it('is browsable at /api/docs with its assets served by the API itself', async () => {
    const page = await fetch(`${inject('apiUrl')}/api/docs`);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    for (const src of html.match(/\/api\/docs\/assets\/[\w.-]+/g) ?? []) {
      expect((await fetch(`${inject('apiUrl')}${src}`)).status, src).toBe(200);
    }
    expect(html).toContain('/api/docs/assets/swagger-ui-bundle.js');
  });

  it('marks request bodies required and lists the 415 and 422 answers every body and parameter can get', async () => {
    const document = (await (await fetch(`${inject('apiUrl')}/api/docs.json`)).json()) as {
      paths: Record<
        string,
        Record<string, { parameters?: unknown[]; requestBody?: { required?: boolean }; responses: Record<string, unknown> }>
      >;
    };
    const problems: string[] = [];
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const name = `${method.toUpperCase()} ${path}`;
        if (operation.requestBody) {
          if (operation.requestBody.required === undefined) problems.push(`${name}: requestBody.required unset`);
          if (!operation.responses['415']) problems.push(`${name}: no 415`);
          if (!operation.responses['422']) problems.push(`${name}: no 422`);
        }
        if (operation.parameters?.length && !operation.responses['422']) problems.push(`${name}: parameters but no 422`);
      }
    }
    expect(problems).toEqual([]);
    expect(document.paths['/api/v1/events/trigger']?.post?.requestBody?.required).toBe(true);
  });
});
