-- 0001_tables: every table of SPEC §1–§7, with its constraints and the indexes its queries need.
-- Row-level security, policies and grants come in 0002_security.sql (same migration run, same
-- transaction). Conventions: uuid primary keys named id, timestamptz everywhere, enums as text +
-- CHECK, tenant_id on every tenant-owned row, foreign keys into tenant tables are composite
-- (child.tenant_id must equal parent.tenant_id) so a row can never point into another tenant.

-- Tenants -------------------------------------------------------------------------------------

CREATE TABLE tenants (
  id                                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name                                text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  status                              text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'deleted')),
  deleted_at                          timestamptz,
  rate_limit_per_minute               integer NOT NULL DEFAULT 600 CHECK (rate_limit_per_minute > 0),
  burst                               integer NOT NULL DEFAULT 100 CHECK (burst >= 0),
  daily_cap                           integer NOT NULL DEFAULT 100000 CHECK (daily_cap >= 0),
  delivery_channels                   text[] NOT NULL DEFAULT ARRAY['EMAIL', 'SMS', 'PUSH']
                                      CHECK (delivery_channels <@ ARRAY['EMAIL', 'SMS', 'PUSH']),
  default_locale                      text NOT NULL DEFAULT 'en' CHECK (length(default_locale) BETWEEN 2 AND 35),
  ambiguous_send_policy               text NOT NULL DEFAULT 'retry' CHECK (ambiguous_send_policy IN ('retry', 'fail')),
  realtime_namespaces                 text[] NOT NULL DEFAULT ARRAY[]::text[],
  webhook_secret_ciphertext           text,
  webhook_secret_previous_ciphertext  text,
  webhook_secret_previous_expires_at  timestamptz,
  created_at                          timestamptz NOT NULL DEFAULT now(),
  updated_at                          timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT tenants_deleted_at_matches_status CHECK ((status = 'deleted') = (deleted_at IS NOT NULL))
);

-- API keys: only the SHA-256 (hex) of the key is stored. expires_at is the grace expiry of a
-- rotated key (NULL = no expiry); sandbox keys carry their sandbox session id.
CREATE TABLE api_keys (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id           uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  key_hash            text NOT NULL UNIQUE CHECK (key_hash ~ '^[0-9a-f]{64}$'),
  display_prefix      text NOT NULL CHECK (length(display_prefix) BETWEEN 1 AND 32),
  mode                text NOT NULL CHECK (mode IN ('live', 'sandbox')),
  status              text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
  expires_at          timestamptz,
  sandbox_session_id  uuid,
  created_at          timestamptz NOT NULL DEFAULT now(),
  revoked_at          timestamptz,
  last_used_at        timestamptz,
  CONSTRAINT api_keys_sandbox_session CHECK ((mode = 'sandbox') = (sandbox_session_id IS NOT NULL)),
  CONSTRAINT api_keys_revoked_at_matches_status CHECK ((status = 'revoked') = (revoked_at IS NOT NULL))
);
CREATE INDEX api_keys_tenant_idx ON api_keys (tenant_id, created_at DESC);

-- People ----------------------------------------------------------------------------------------

CREATE TABLE operators (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username              text NOT NULL CHECK (username ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$'),
  password_hash         text NOT NULL,
  must_change_password  boolean NOT NULL DEFAULT true,
  status                text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  last_login_at         timestamptz
);
CREATE UNIQUE INDEX operators_username_key ON operators (lower(username));

-- Tenant admins log in with their email address, unique across all tenants (case-insensitive).
CREATE TABLE tenant_admins (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id             uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  email                 text NOT NULL CHECK (length(email) BETWEEN 3 AND 320 AND position('@' IN email) > 1),
  password_hash         text NOT NULL,
  role                  text NOT NULL DEFAULT 'admin' CHECK (role IN ('admin', 'viewer')),
  must_change_password  boolean NOT NULL DEFAULT true,
  status                text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  last_login_at         timestamptz,
  UNIQUE (id, tenant_id)
);
CREATE UNIQUE INDEX tenant_admins_email_key ON tenant_admins (lower(email));
CREATE INDEX tenant_admins_tenant_idx ON tenant_admins (tenant_id);

-- Refresh-token sessions of the admin console (SPEC §6). One row per issued refresh token; a
-- rotation marks the row rotated and inserts its successor in the same family; presenting a
-- rotated token again revokes the family. tenant_id is NULL exactly for operator sessions.
CREATE TABLE admin_sessions (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  family_id       uuid NOT NULL,
  tenant_id       uuid REFERENCES tenants (id) ON DELETE CASCADE,
  subject_type    text NOT NULL CHECK (subject_type IN ('operator', 'tenant_admin')),
  subject_id      uuid NOT NULL,
  role            text NOT NULL CHECK (role IN ('platform_operator', 'admin', 'viewer')),
  token_hash      text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  expires_at      timestamptz NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  rotated_at      timestamptz,
  revoked_at      timestamptz,
  revoked_reason  text,
  ip              inet,
  user_agent      text,
  CONSTRAINT admin_sessions_subject CHECK ((subject_type = 'operator') = (tenant_id IS NULL)),
  CONSTRAINT admin_sessions_role CHECK ((subject_type = 'operator') = (role = 'platform_operator')),
  -- checked for tenant-admin sessions (tenant_id set); operator sessions have no tenant.
  FOREIGN KEY (subject_id, tenant_id) REFERENCES tenant_admins (id, tenant_id) ON DELETE CASCADE
);
CREATE INDEX admin_sessions_family_idx ON admin_sessions (family_id);
CREATE INDEX admin_sessions_subject_idx ON admin_sessions (subject_id) WHERE revoked_at IS NULL;

-- Providers -------------------------------------------------------------------------------------

-- credentials_ciphertext is AES-256-GCM output with its key id (SPEC §5); settings holds the
-- non-secret part of a provider's configuration (from address, sender id, ...).
-- send_rate_per_second NULL means "the provider's default".
CREATE TABLE provider_configs (
  id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id               uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  channel                 text NOT NULL CHECK (channel IN ('EMAIL', 'SMS', 'PUSH')),
  provider                text NOT NULL CHECK (provider ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
  priority                integer NOT NULL DEFAULT 0 CHECK (priority >= 0),
  enabled                 boolean NOT NULL DEFAULT true,
  send_rate_per_second    double precision CHECK (send_rate_per_second > 0),
  base_url_override       text CHECK (base_url_override ~ '^https?://'),
  settings                jsonb NOT NULL DEFAULT '{}'::jsonb,
  credentials_ciphertext  text NOT NULL,
  credentials_last4       text NOT NULL CHECK (length(credentials_last4) <= 4),
  created_at              timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now(),
  UNIQUE (id, tenant_id)
);
CREATE INDEX provider_configs_channel_idx ON provider_configs (tenant_id, channel, priority);

-- Templates -------------------------------------------------------------------------------------

-- tenant_id NULL = a platform (global) template; those are only global.* event types.
CREATE TABLE templates (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id   uuid REFERENCES tenants (id) ON DELETE CASCADE,
  event_type  text NOT NULL CHECK (event_type ~ '^[A-Za-z0-9._:-]{1,200}$'),
  channel     text NOT NULL CHECK (channel IN ('EMAIL', 'SMS', 'PUSH')),
  locale      text NOT NULL CHECK (locale ~ '^[A-Za-z0-9-]{2,35}$'),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT templates_global_event_type CHECK (tenant_id IS NOT NULL OR event_type LIKE 'global.%'),
  CONSTRAINT templates_identity_key UNIQUE NULLS NOT DISTINCT (tenant_id, event_type, channel, locale),
  UNIQUE (id, tenant_id)
);

-- Versions are immutable once written except for is_active (enforced by a trigger in 0002).
-- Which columns a channel uses: EMAIL subject + body_source (mjml|html) + compiled_html (HTML
-- after MJML, still Handlebars) + text_body (optional); SMS body_source (text); PUSH title +
-- push_body + category + data.
CREATE TABLE template_versions (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  template_id    uuid NOT NULL REFERENCES templates (id) ON DELETE CASCADE,
  tenant_id      uuid REFERENCES tenants (id) ON DELETE CASCADE,
  version        integer NOT NULL CHECK (version > 0),
  is_active      boolean NOT NULL DEFAULT false,
  subject        text,
  body_source    text CHECK (octet_length(body_source) <= 102400),
  body_format    text CHECK (body_format IN ('mjml', 'html', 'text')),
  compiled_html  text,
  text_body      text,
  title          text,
  push_body      text,
  category       text CHECK (category IN ('info', 'success', 'warning', 'alert', 'error')),
  data           jsonb,
  created_by     text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (template_id, version),
  -- MATCH SIMPLE: checked when tenant_id is set (a tenant version must sit under its own
  -- tenant's template); global versions are checked by the operator policy in 0002.
  FOREIGN KEY (template_id, tenant_id) REFERENCES templates (id, tenant_id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX template_versions_one_active ON template_versions (template_id) WHERE is_active;

-- Events and deliveries -------------------------------------------------------------------------

-- One row per accepted event the worker has processed (SPEC §3.2). channel_outcomes maps a
-- channel to {notificationId, status} or {skipped: <code>}. A reuse of the eventId after the
-- idempotency window is counted in duplicates (DUPLICATE_EVENT_ID), never delivered again.
CREATE TABLE events (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id           uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  mode                text NOT NULL CHECK (mode IN ('live', 'sandbox')),
  event_id            text NOT NULL CHECK (length(event_id) BETWEEN 1 AND 200),
  event_type          text NOT NULL CHECK (event_type ~ '^[A-Za-z0-9._:-]{1,200}$'),
  sandbox_session_id  uuid,
  requested_channels  text[] CHECK (requested_channels <@ ARRAY['EMAIL', 'SMS', 'PUSH']),
  locale              text,
  trace_id            text NOT NULL,
  status              text NOT NULL DEFAULT 'processing' CHECK (status IN ('processing', 'processed')),
  channel_outcomes    jsonb NOT NULL DEFAULT '{}'::jsonb,
  duplicates          integer NOT NULL DEFAULT 0 CHECK (duplicates >= 0),
  last_duplicate_at   timestamptz,
  received_at         timestamptz NOT NULL,
  processed_at        timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT events_identity_key UNIQUE (tenant_id, mode, event_id)
);
CREATE INDEX events_tenant_received_idx ON events (tenant_id, received_at DESC);

-- The delivery log: one row per (event, channel); the gateway is the only writer of status.
-- content is the rendered message as dispatched ({subject, html, text, body, title, category,
-- data}), so the sweeper can republish a lost dispatch; NULL when nothing was rendered (e.g.
-- MISSING_RECIPIENT). recipient is the channel's address (email or E.164 phone; NULL for PUSH).
CREATE TABLE notification_logs (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id            uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  mode                 text NOT NULL CHECK (mode IN ('live', 'sandbox')),
  is_test              boolean NOT NULL DEFAULT false,
  sandbox_session_id   uuid,
  event_id             text NOT NULL CHECK (length(event_id) BETWEEN 1 AND 200),
  event_type           text NOT NULL,
  channel              text NOT NULL CHECK (channel IN ('EMAIL', 'SMS', 'PUSH')),
  user_id              text NOT NULL CHECK (length(user_id) BETWEEN 1 AND 256),
  recipient            text,
  template_version_id  uuid,
  content              jsonb,
  status               text NOT NULL DEFAULT 'PENDING'
                       CHECK (status IN ('PENDING', 'SENDING', 'SENT', 'RETRYING', 'FAILED', 'DELIVERED', 'BOUNCED')),
  attempt_series       integer NOT NULL DEFAULT 1 CHECK (attempt_series >= 1),
  attempt_number       integer NOT NULL DEFAULT 0 CHECK (attempt_number >= 0),
  next_attempt_at      timestamptz,
  lease_expires_at     timestamptz,
  lease_version        integer NOT NULL DEFAULT 0 CHECK (lease_version >= 0),
  provider_config_id   uuid,
  provider             text,
  vendor_message_id    text,
  last_error_code      text,
  last_error_message   text,
  trace_id             text NOT NULL,
  received_at          timestamptz NOT NULL,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  sent_at              timestamptz,
  CONSTRAINT notification_logs_identity_key UNIQUE (tenant_id, mode, event_id, channel),
  UNIQUE (id, tenant_id),
  FOREIGN KEY (provider_config_id, tenant_id) REFERENCES provider_configs (id, tenant_id)
    ON DELETE SET NULL (provider_config_id)
);
-- Log listing (cursor = created_at, id) and its filters.
CREATE INDEX notification_logs_list_idx ON notification_logs (tenant_id, created_at DESC, id DESC);
CREATE INDEX notification_logs_trace_idx ON notification_logs (tenant_id, trace_id);
CREATE INDEX notification_logs_recipient_idx ON notification_logs (tenant_id, recipient, created_at DESC);
-- Sweeper (SPEC §3.3): small partial indexes, one per thing it looks for.
CREATE INDEX notification_logs_pending_idx ON notification_logs (created_at) WHERE status = 'PENDING';
CREATE INDEX notification_logs_retry_due_idx ON notification_logs (next_attempt_at) WHERE status = 'RETRYING';
CREATE INDEX notification_logs_lease_idx ON notification_logs (lease_expires_at) WHERE status = 'SENDING';
CREATE INDEX notification_logs_failed_idx ON notification_logs (updated_at) WHERE status = 'FAILED';

CREATE TABLE notification_attempts (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id           uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  notification_id     uuid NOT NULL,
  attempt_series      integer NOT NULL CHECK (attempt_series >= 1),
  attempt_number      integer NOT NULL CHECK (attempt_number >= 1),
  provider_config_id  uuid,
  provider            text NOT NULL,
  started_at          timestamptz NOT NULL,
  duration_ms         integer CHECK (duration_ms >= 0),
  outcome             text NOT NULL CHECK (outcome IN ('sent', 'retryable', 'permanent', 'ambiguous')),
  http_status         integer,
  error_code          text,
  error_message       text,
  vendor_message_id   text,
  ambiguous           boolean NOT NULL DEFAULT false,
  created_at          timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (notification_id, tenant_id) REFERENCES notification_logs (id, tenant_id) ON DELETE CASCADE,
  FOREIGN KEY (provider_config_id, tenant_id) REFERENCES provider_configs (id, tenant_id)
    ON DELETE SET NULL (provider_config_id)
);
CREATE INDEX notification_attempts_notification_idx
  ON notification_attempts (notification_id, attempt_series, attempt_number);

-- Dead letters, idempotent on notification id. The filter columns of a bulk replay are copied
-- out of the payload. attempt_series tells a re-dead-lettered replay from a redelivery.
CREATE TABLE failed_notifications (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id        uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  notification_id  uuid NOT NULL UNIQUE,
  attempt_series   integer NOT NULL DEFAULT 1 CHECK (attempt_series >= 1),
  mode             text NOT NULL CHECK (mode IN ('live', 'sandbox')),
  channel          text NOT NULL CHECK (channel IN ('EMAIL', 'SMS', 'PUSH')),
  event_type       text NOT NULL,
  provider         text,
  error_code       text,
  payload          jsonb NOT NULL,
  attempts         jsonb NOT NULL DEFAULT '[]'::jsonb,
  last_error       jsonb,
  status           text NOT NULL DEFAULT 'dead' CHECK (status IN ('dead', 'replayed', 'discarded')),
  replay_count     integer NOT NULL DEFAULT 0 CHECK (replay_count >= 0),
  replayed_at      timestamptz,
  replay_reason    text,
  discarded_at     timestamptz,
  resolved_by      text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (notification_id, tenant_id) REFERENCES notification_logs (id, tenant_id) ON DELETE CASCADE
);
CREATE INDEX failed_notifications_list_idx ON failed_notifications (tenant_id, status, created_at DESC);
CREATE INDEX failed_notifications_dead_idx ON failed_notifications (created_at) WHERE status = 'dead';

-- Inbox: id is the notification id; created_at is the time the event was accepted. No foreign
-- key to the log so that each can follow its own retention.
CREATE TABLE in_app_notifications (
  id          uuid PRIMARY KEY,
  tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  user_id     text NOT NULL CHECK (length(user_id) BETWEEN 1 AND 256),
  title       text NOT NULL,
  body        text NOT NULL,
  category    text NOT NULL CHECK (category IN ('info', 'success', 'warning', 'alert', 'error')),
  event_type  text NOT NULL,
  data        jsonb,
  created_at  timestamptz NOT NULL,
  read_at     timestamptz
);
CREATE INDEX in_app_notifications_user_idx ON in_app_notifications (tenant_id, user_id, created_at DESC, id DESC);
CREATE INDEX in_app_notifications_unread_idx ON in_app_notifications (tenant_id, user_id) WHERE read_at IS NULL;

-- What the capture provider stored for a sandbox session (SPEC §7).
CREATE TABLE sandbox_messages (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id           uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  sandbox_session_id  uuid NOT NULL,
  notification_id     uuid NOT NULL,
  channel             text NOT NULL CHECK (channel IN ('EMAIL', 'SMS', 'PUSH')),
  event_type          text,
  recipient           text,
  content             jsonb NOT NULL,
  created_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sandbox_messages_session_idx ON sandbox_messages (tenant_id, sandbox_session_id, created_at DESC);
CREATE INDEX sandbox_messages_tenant_idx ON sandbox_messages (tenant_id, created_at DESC);

-- Audit ------------------------------------------------------------------------------------------

-- Append-only. tenant_id NULL = a platform entry (operator actions, unknown-user logins).
-- No foreign key: the trail outlives a purged tenant.
CREATE TABLE audit_logs (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id      uuid,
  actor_type     text NOT NULL
                 CHECK (actor_type IN ('operator', 'tenant_admin', 'api_key', 'system_tenant', 'system', 'anonymous')),
  actor_id       text,
  action         text NOT NULL CHECK (length(action) BETWEEN 1 AND 200),
  resource_type  text,
  resource_id    text,
  before         jsonb,
  after          jsonb,
  ip             inet,
  user_agent     text,
  trace_id       text,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_logs_tenant_idx ON audit_logs (tenant_id, created_at DESC);
CREATE INDEX audit_logs_created_idx ON audit_logs (created_at DESC);
