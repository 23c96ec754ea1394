// A minimal OTLP/HTTP trace receiver for trying tracing locally without a collector, and for
// measuring what exporting costs: accepts POST /v1/traces (JSON or protobuf), answers 200, and
// prints how many requests and bytes it received every 10 s and on exit. It keeps nothing.
//   node infra/observability/otlp-sink.mjs [port=4318]
//   OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 npm run up   (or any service)
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 4318);
let requests = 0;
let bytes = 0;
let spans = 0;
const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks);
    requests++;
    bytes += body.length;
    if (String(request.headers['content-type']).startsWith('application/json')) {
      try {
        for (const rs of JSON.parse(body.toString()).resourceSpans ?? [])
          for (const ss of rs.scopeSpans ?? []) spans += (ss.spans ?? []).length;
      } catch {
        // not JSON after all: counted as bytes only
      }
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
const report = () => process.stdout.write(`otlp-sink: ${requests} requests, ${spans} spans, ${bytes} bytes\n`);
setInterval(report, 10_000).unref();
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => (report(), process.exit(0)));
server.listen(port, '127.0.0.1', () =>
  process.stdout.write(`otlp-sink listening on http://127.0.0.1:${server.address().port}/v1/traces\n`),
);
