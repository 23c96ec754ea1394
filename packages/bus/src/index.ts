export { ensureTopics, ensureTopicsWhenReachable, type TopicSettings } from './topics.js';
export { BusProducer, type Outgoing } from './producer.js';
export { consume, type Delivered, type InvalidMessage, type RunningConsumer, type ConsumeOptions } from './consumer.js';
export { MessageSchemaError } from './errors.js';
export { LagMeter } from './lag.js';
export { contextOfHeaders, startProduceSpans } from './trace-context.js';
export type { ProduceObserver } from './producer.js';
