import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { adminBearer, adminErrors, dataOf, json } from '../../platform/openapi/admin-openapi.js';
import { systemSchema } from './system.schemas.js';

export function registerSystemRoutes(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/api/v1/admin/system',
    tags: ['Operator: system'],
    summary: 'Versions and health of every component, the active encryption key, retention settings',
    description:
      'Asks each component at request time, in parallel, each within 2 s: PostgreSQL (`SHOW server_version`), Redis (`INFO server`), Kafka (a metadata request), Centrifugo (its server API `info`), and the operations endpoints of the other services (`/health/live`, `/health/ready`). A component that does not answer is reported as down or unreachable with the reason; the route itself still answers 200. Secrets at rest are counted by the key id of their envelope.',
    security: adminBearer(registry),
    responses: {
      200: json('The system as it answered just now', dataOf(systemSchema)),
      ...adminErrors({ 403: 'FORBIDDEN: platform operators only' }),
    },
  });
}
