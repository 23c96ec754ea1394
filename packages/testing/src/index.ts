export { stackEnv, stackEnvPath, parseEnvFile, type StackEnv } from './stack-env.js';
export { pollUntil } from './poll.js';
