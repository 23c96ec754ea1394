import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { freePort, serviceEnv, startService, type ServiceProcess } from '@orqestra/testing';

declare module 'vitest' {
  export interface ProvidedContext {
    apiUrl: string;
  }
}

const dist = (name: string) => fileURLToPath(new URL(`../dist/${name}`, import.meta.url));

/**
 * One API process and one worker process, built (npm test builds first) and started as a user
 * runs them, shared by the integration suites. Tests isolate themselves by tenant.
 */
export default async function setup(project: TestProject) {
  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${port}`;
  const processes: ServiceProcess[] = [];
  processes.push(
    await startService(
      dist('main.api.js'),
      serviceEnv({ API_PORT: String(port) }),
      async () => (await fetch(`${apiUrl}/health/ready`).catch(() => undefined))?.ok === true,
      'api',
    ),
  );
  const worker = await startService(dist('main.worker.js'), serviceEnv(), async () => true, 'worker');
  processes.push(worker);
  project.provide('apiUrl', apiUrl);
  return async () => {
    await Promise.all(processes.map((p) => p.stop()));
  };
}
