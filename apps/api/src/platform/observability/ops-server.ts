import { createServer, type Server, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import type { ServiceInfo } from '@orqestra/telemetry';

export type ReadinessChecks = () => Promise<Record<string, 'ok' | 'down'>>;

/**
 * The worker's operations endpoint (the API serves the same paths on its own port):
 * GET /health/live (the process answers, with its name, version, Node.js version and start time), GET /health/ready (every dependency answers, else 503),
 * GET /metrics (Prometheus text). Anything else is 404.
 */
export async function serveOps(
  options: { host: string; port: number },
  deps: { ready: ReadinessChecks; registry: Registry; info: ServiceInfo },
): Promise<Server> {
  const server = createServer((request, response) => {
    void (async () => {
      const path = (request.url ?? '').split('?')[0];
      if (request.method !== 'GET') return send(response, 405, { status: 'method not allowed' });
      if (path === '/health/live') return send(response, 200, { status: 'ok', ...deps.info });
      if (path === '/health/ready') {
        const checks = await deps.ready();
        const ready = Object.values(checks).every((c) => c === 'ok');
        return send(response, ready ? 200 : 503, { status: ready ? 'ok' : 'unavailable', checks });
      }
      if (path === '/metrics') {
        const text = await deps.registry.metrics();
        response.writeHead(200, { 'content-type': deps.registry.contentType });
        return void response.end(text);
      }
      return send(response, 404, { status: 'not found' });
    })().catch(() => send(response, 500, { status: 'error' }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent) return void response.end();
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
