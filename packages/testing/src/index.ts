export { stackEnv, serviceEnv, stackEnvPath, parseEnvFile, type StackEnv } from './stack-env.js';
export { pollUntil } from './poll.js';
export { startService, freePort, type ServiceProcess } from './service-process.js';
export { TcpGate } from './tcp-gate.js';
