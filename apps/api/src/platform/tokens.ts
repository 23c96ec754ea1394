/** Dependency-injection tokens for the platform's non-class providers. */
export const CONFIG = Symbol('CONFIG');
export const DATABASE = Symbol('DATABASE');
export const REDIS = Symbol('REDIS');
export const PRODUCER = Symbol('PRODUCER');
export const SECRET_BOX = Symbol('SECRET_BOX');
export const CLOCK = Symbol('CLOCK');
export const OPENAPI_DOCUMENT = Symbol('OPENAPI_DOCUMENT');

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };
