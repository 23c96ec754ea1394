import type { components, paths } from './generated/openapi.js';

type Schemas = components['schemas'];
type JsonBody<T> = T extends { content: { 'application/json': infer B } } ? B : never;

/** The body of POST /api/v1/events/trigger, as the served OpenAPI document describes it. */
export type TriggerEvent = JsonBody<NonNullable<paths['/api/v1/events/trigger']['post']['requestBody']>>;
/** 200 of a trigger: the event was durably queued (or this was a replay, `duplicate: true`). */
export type EventAccepted = Schemas['EventAccepted'];
/** 200 of a bulk trigger: one entry per event, in request order. */
export type BulkTriggerResult = JsonBody<paths['/api/v1/events/trigger/bulk']['post']['responses'][200]>;
/** 200 of GET /api/v1/events/{eventId}: the outcome per channel. */
export type EventStatus = Schemas['EventStatus'];
export type RealtimeToken = Schemas['RealtimeToken'];
export type RealtimeTokenRequest = Schemas['RealtimeTokenRequest'];
export type InboxItem = Schemas['InboxItem'];
export type InboxPage = JsonBody<paths['/api/v1/inbox/notifications']['get']['responses'][200]>;
/** Every code the API may answer with in `error.code`. */
export type ErrorCode = Schemas['Error']['error']['code'];
export type ErrorBody = Schemas['Error'];
export type BulkTriggerRequest = JsonBody<NonNullable<paths['/api/v1/events/trigger/bulk']['post']['requestBody']>>;
export type MarkReadResult = JsonBody<paths['/api/v1/inbox/notifications/{id}/read']['post']['responses'][200]>;
export type MarkAllReadResult = JsonBody<paths['/api/v1/inbox/read-all']['post']['responses'][200]>;
export type UnreadCount = JsonBody<paths['/api/v1/inbox/unread-count']['get']['responses'][200]>;
/** GET /api/v1/events/{eventId} answers 404 QUEUED until the worker has handled the event (or when it was never accepted). */
export interface QueuedEvent {
  status: 'QUEUED';
  eventId: string;
}
