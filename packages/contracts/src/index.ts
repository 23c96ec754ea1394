export * from './codes.js';
export * from './error-codes.js';
export * from './messages.js';
export * from './topics.js';
export * from './realtime.js';
export * from './breaker-state.js';
export * from './delivery-codes.js';
