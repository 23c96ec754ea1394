/** Shapes of the admin API's answers, as its OpenAPI document (/api/docs.json) describes them. */
export type Channel = 'EMAIL' | 'SMS' | 'PUSH';
export const CHANNELS: Channel[] = ['EMAIL', 'SMS', 'PUSH'];

export interface Tenant {
  id: string;
  name: string;
  status: 'active' | 'suspended' | 'deleted';
  deletedAt: string | null;
  rateLimitPerMinute: number;
  burst: number;
  dailyCap: number;
  deliveryChannels: Channel[];
  defaultLocale: string;
  ambiguousSendPolicy: 'retry' | 'fail';
  realtimeNamespaces: string[];
  webhookSecret: { set: boolean; previousValidUntil: string | null };
  createdAt: string;
}

export interface NotificationLog {
  id: string;
  tenantId?: string;
  eventId: string;
  eventType: string;
  channel: Channel;
  mode: 'live' | 'sandbox';
  isTest: boolean;
  userId: string;
  recipient: string | null;
  status: string;
  attemptSeries: number;
  attemptNumber: number;
  nextAttemptAt: string | null;
  provider: string | null;
  vendorMessageId: string | null;
  lastErrorCode: string | null;
  lastErrorMessage: string | null;
  traceId: string;
  receivedAt: string;
  createdAt: string;
  sentAt: string | null;
}

export interface Attempt {
  attemptSeries: number;
  attemptNumber: number;
  provider: string;
  startedAt: string;
  durationMs: number | null;
  outcome: string;
  ambiguous: boolean;
  httpStatus: number | null;
  errorCode: string | null;
  errorMessage: string | null;
  vendorMessageId: string | null;
}

export interface NotificationDetail extends NotificationLog {
  templateVersionId: string | null;
  content: Record<string, unknown> | null;
  attempts: Attempt[];
}

export interface AdminEvent {
  eventId: string;
  eventType: string;
  mode: string;
  status: string;
  requestedChannels: Channel[] | null;
  traceId: string;
  acceptedAt: string;
  processedAt: string | null;
  channels: Record<string, { notificationId: string; status: string; errorCode?: string } | { skipped: string }>;
}

export interface DeadLetter {
  notificationId: string;
  tenantId?: string;
  status: 'dead' | 'replayed' | 'discarded';
  channel: Channel;
  eventType: string;
  provider: string | null;
  errorCode: string | null;
  attemptSeries: number;
  replayCount: number;
  replayedAt: string | null;
  createdAt: string;
}

export interface DeadLetterDetail extends DeadLetter {
  attempts: Attempt[];
  payload: Record<string, unknown> | null;
  payloadHidden: boolean;
}

export interface AuditEntry {
  id: string;
  tenantId?: string | null;
  actorType: string;
  actorId: string | null;
  action: string;
  resourceType: string | null;
  resourceId: string | null;
  before?: unknown;
  after?: unknown;
  valuesHidden: boolean;
  ip: string | null;
  userAgent: string | null;
  traceId: string | null;
  createdAt: string;
}

export interface TemplateSummary {
  id: string;
  eventType: string;
  channel: Channel;
  locale: string;
  activeVersion: number | null;
  latestVersion: number | null;
  updatedAt: string;
  /** Global templates only: tenants with an active template of their own for the same event type, channel and locale. */
  overriddenBy?: number;
}

export interface TemplateVersion {
  version: number;
  id: string;
  active: boolean;
  createdAt: string;
  createdBy: string | null;
  subject: string | null;
  bodyFormat: string | null;
  body: string | null;
  textBody: string | null;
  title: string | null;
  pushBody: string | null;
  category: string | null;
}

export interface ProviderConfig {
  id: string;
  channel: Channel;
  provider: string;
  priority: number;
  enabled: boolean;
  sendRatePerSecond: number | null;
  baseUrlOverride: string | null;
  settings?: Record<string, unknown>;
  credentialsLast4: string;
  /** The circuit breaker as the gateways report it (docs/admin-api.md). */
  breaker?: {
    state: string;
    since?: string | null;
    openUntil?: string | null;
    lastError?: { code: string; message?: string; at?: string } | null;
  };
  createdAt: string;
}

export interface ApiKey {
  id: string;
  displayPrefix: string;
  mode: string;
  state: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export interface TenantAdmin {
  id: string;
  email: string;
  role: string;
  status: string;
  mustChangePassword: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

export interface UsageBucket {
  start: string;
  channel: string;
  status: string;
  count: number;
}

/** GET /api/v1/admin/system (the System page). */
export interface SystemServiceCheck {
  name: string;
  url: string | null;
  status: 'ok' | 'degraded' | 'unreachable';
  version: string | null;
  node: string | null;
  startedAt: string | null;
  checks: Record<string, string> | null;
  error: string | null;
}
export interface SystemReport {
  checkedAt: string;
  services: SystemServiceCheck[];
  dependencies: { name: string; status: 'ok' | 'down'; version: string | null; latencyMs: number; error: string | null }[];
  encryption: { activeKeyId: string; secretsByKey: { keyId: string; count: number }[]; awaitingReencryption: number };
  retention: {
    automaticPurge: boolean;
    idempotencyWindowSeconds: number;
    sandboxSessionTtlSeconds: number;
    realtimeTokenTtlSeconds: number;
  };
  links: { docs: string; metrics: { name: string; url: string }[] };
}
