// Waits until the Kafka broker answers a metadata request, through the same client the services
// use (a JVM tool would take seconds just to start). Usage: node infra/wait-kafka.mjs HOST:PORT SECONDS
import { Admin } from '@platformatic/kafka';

const [broker = '127.0.0.1:59092', seconds = '60'] = process.argv.slice(2);
const deadline = Date.now() + Number(seconds) * 1000;
let lastError = 'no answer';
while (Date.now() < deadline) {
  const admin = new Admin({ clientId: 'orqestra-wait', bootstrapBrokers: [broker], timeout: 2000, retries: 0 });
  try {
    await admin.metadata({ topics: [] });
    await admin.close();
    process.exit(0);
  } catch (error) {
    lastError = error instanceof Error ? error.message : String(error);
    await admin.close().catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
console.error(`Kafka at ${broker} not ready after ${seconds} s: ${lastError}`);
process.exit(1);
