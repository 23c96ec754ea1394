-- 0002_security: who may touch which rows (SPEC §7). Three layers:
--   1. GRANTs: orqestra_app (the services' role) gets exactly the commands it needs, per table,
--      granted explicitly here. There are deliberately no default privileges for tables: a new
--      table is invisible to the services until its migration grants it (fail closed).
--   2. Row-level security, ENABLED and FORCED (the owner is subject to it as well), with
--      policies that read the tenant and the actor type from transaction-local settings.
--   3. app_guard_update triggers where an actor may update a row but only some of its columns
--      (column GRANTs are per role, and every actor uses the same role).
-- Actors (app.actor_type): tenant_admin, api_key, system_tenant (inside one tenant); operator
-- (with no tenant set: across tenants; with a tenant set: confined to it); system (cross-tenant
-- background work, narrow). auth_lookup is used only inside the SECURITY DEFINER functions of
-- 0003 and its policies apply to the owner role only, so the services cannot borrow it.

-- New functions of this role are not executable by PUBLIC unless a migration grants them.
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

-- Context helpers ------------------------------------------------------------------------------
-- Plain STABLE SQL functions: the planner inlines them, so `tenant_id = app_current_tenant()`
-- is an ordinary index condition. An unset or cleared ('') setting yields NULL: nothing matches.

CREATE FUNCTION app_current_tenant() RETURNS uuid LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT NULLIF(current_setting('app.current_tenant_id', true), '')::uuid $$;

CREATE FUNCTION app_actor() RETURNS text LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT NULLIF(current_setting('app.actor_type', true), '') $$;

-- Acting inside tenant t: a tenant actor, or an operator confined to that tenant.
CREATE FUNCTION app_in_tenant(t uuid) RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT t = app_current_tenant() AND app_actor() IN ('tenant_admin', 'api_key', 'system_tenant', 'operator') $$;

-- An operator with no tenant set: reads across tenants, writes where the policies say so.
CREATE FUNCTION app_is_global_operator() RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT app_actor() = 'operator' AND app_current_tenant() IS NULL $$;

CREATE FUNCTION app_is_operator() RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT app_actor() = 'operator' $$;

CREATE FUNCTION app_is_system() RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT app_actor() = 'system' $$;

-- Any of the actor types the services use (global templates are readable by all of them).
CREATE FUNCTION app_is_known_actor() RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT app_actor() IN ('tenant_admin', 'api_key', 'system_tenant', 'operator', 'system') $$;

CREATE FUNCTION app_is_auth_lookup() RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT app_actor() = 'auth_lookup' $$;

-- BEFORE UPDATE trigger: when the current actor is one of TG_ARGV[0] (comma-separated), only
-- the columns named in TG_ARGV[1..] may change; anything else raises insufficient_privilege.
CREATE FUNCTION app_guard_update() RETURNS trigger LANGUAGE plpgsql
AS $$
DECLARE
  allowed text[] := TG_ARGV[1:];
  changed text;
BEGIN
  IF coalesce(app_actor(), '') = ANY (string_to_array(TG_ARGV[0], ',')) THEN
    SELECT string_agg(n.key, ', ' ORDER BY n.key) INTO changed
      FROM jsonb_each(to_jsonb(NEW)) AS n
     WHERE NOT (n.key = ANY (allowed)) AND n.value IS DISTINCT FROM (to_jsonb(OLD) -> n.key);
    IF changed IS NOT NULL THEN
      RAISE EXCEPTION 'actor % may not change % of %', app_actor(), changed, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege',
              HINT = format('this actor may change only: %s', array_to_string(allowed, ', '));
    END IF;
  END IF;
  RETURN NEW;
END
$$;

-- Tables: enable + force -----------------------------------------------------------------------

ALTER TABLE tenants               ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE api_keys              ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE operators             ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE tenant_admins         ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE admin_sessions        ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE provider_configs      ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE templates             ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE template_versions     ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE events                ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE notification_logs     ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE notification_attempts ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE failed_notifications  ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE in_app_notifications  ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE sandbox_messages      ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE audit_logs            ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;

-- Policies -------------------------------------------------------------------------------------
-- Naming: <table>_<who>[_<command>]. Policies are permissive (OR-ed). "TO CURRENT_USER" = the
-- migrating owner role, i.e. only code running inside the SECURITY DEFINER functions.

-- tenants: a tenant context sees and updates only its own row (webhook secret columns only,
-- see trigger); the global operator does everything; system re-encrypts the webhook secret.
CREATE POLICY tenants_in_tenant_select ON tenants FOR SELECT USING (app_in_tenant(id));
CREATE POLICY tenants_in_tenant_update ON tenants FOR UPDATE USING (app_in_tenant(id)) WITH CHECK (app_in_tenant(id));
CREATE POLICY tenants_operator ON tenants FOR ALL USING (app_is_global_operator()) WITH CHECK (app_is_global_operator());
CREATE POLICY tenants_system_select ON tenants FOR SELECT USING (app_is_system());
CREATE POLICY tenants_system_update ON tenants FOR UPDATE USING (app_is_system()) WITH CHECK (app_is_system());
CREATE POLICY tenants_auth_lookup ON tenants FOR SELECT TO CURRENT_USER USING (app_is_auth_lookup());
CREATE TRIGGER tenants_guard_tenant_actors BEFORE UPDATE ON tenants FOR EACH ROW
  EXECUTE FUNCTION app_guard_update('tenant_admin,api_key,system_tenant',
    'webhook_secret_ciphertext', 'webhook_secret_previous_ciphertext', 'webhook_secret_previous_expires_at', 'updated_at');
CREATE TRIGGER tenants_guard_system BEFORE UPDATE ON tenants FOR EACH ROW
  EXECUTE FUNCTION app_guard_update('system', 'webhook_secret_ciphertext', 'webhook_secret_previous_ciphertext', 'updated_at');

CREATE POLICY api_keys_in_tenant ON api_keys FOR ALL USING (app_in_tenant(tenant_id)) WITH CHECK (app_in_tenant(tenant_id));
CREATE POLICY api_keys_operator ON api_keys FOR ALL USING (app_is_global_operator()) WITH CHECK (app_is_global_operator());
CREATE POLICY api_keys_auth_lookup ON api_keys FOR SELECT TO CURRENT_USER USING (app_is_auth_lookup());

-- operators: no tenant; only operators (and the login look-up) see the table at all.
CREATE POLICY operators_operator ON operators FOR ALL USING (app_is_operator()) WITH CHECK (app_is_operator());
CREATE POLICY operators_auth_lookup ON operators FOR SELECT TO CURRENT_USER USING (app_is_auth_lookup());

CREATE POLICY tenant_admins_in_tenant ON tenant_admins FOR ALL USING (app_in_tenant(tenant_id)) WITH CHECK (app_in_tenant(tenant_id));
CREATE POLICY tenant_admins_operator ON tenant_admins FOR ALL USING (app_is_global_operator()) WITH CHECK (app_is_global_operator());
CREATE POLICY tenant_admins_auth_lookup ON tenant_admins FOR SELECT TO CURRENT_USER USING (app_is_auth_lookup());

-- admin_sessions: tenant-admin sessions live in their tenant; operator sessions (tenant_id
-- NULL) are reachable by the global operator only.
CREATE POLICY admin_sessions_in_tenant ON admin_sessions FOR ALL USING (app_in_tenant(tenant_id)) WITH CHECK (app_in_tenant(tenant_id));
CREATE POLICY admin_sessions_operator ON admin_sessions FOR ALL USING (app_is_global_operator()) WITH CHECK (app_is_global_operator());
CREATE POLICY admin_sessions_auth_lookup ON admin_sessions FOR SELECT TO CURRENT_USER USING (app_is_auth_lookup());

-- provider_configs: operators read and update (base-URL overrides); system re-encrypts.
CREATE POLICY provider_configs_in_tenant ON provider_configs FOR ALL USING (app_in_tenant(tenant_id)) WITH CHECK (app_in_tenant(tenant_id));
CREATE POLICY provider_configs_operator_select ON provider_configs FOR SELECT USING (app_is_global_operator());
CREATE POLICY provider_configs_operator_update ON provider_configs FOR UPDATE USING (app_is_global_operator()) WITH CHECK (app_is_global_operator());
CREATE POLICY provider_configs_system_select ON provider_configs FOR SELECT USING (app_is_system());
CREATE POLICY provider_configs_system_update ON provider_configs FOR UPDATE USING (app_is_system()) WITH CHECK (app_is_system());
CREATE TRIGGER provider_configs_guard_system BEFORE UPDATE ON provider_configs FOR EACH ROW
  EXECUTE FUNCTION app_guard_update('system', 'credentials_ciphertext', 'updated_at');

-- templates: global rows (tenant_id NULL) readable by every actor, written by the global operator.
CREATE POLICY templates_in_tenant ON templates FOR ALL USING (app_in_tenant(tenant_id)) WITH CHECK (app_in_tenant(tenant_id));
CREATE POLICY templates_global_select ON templates FOR SELECT USING (tenant_id IS NULL AND app_is_known_actor());
CREATE POLICY templates_operator_select ON templates FOR SELECT USING (app_is_global_operator());
CREATE POLICY templates_operator_global ON templates FOR ALL
  USING (tenant_id IS NULL AND app_is_global_operator()) WITH CHECK (tenant_id IS NULL AND app_is_global_operator());

CREATE POLICY template_versions_in_tenant ON template_versions FOR ALL
  USING (app_in_tenant(tenant_id)) WITH CHECK (app_in_tenant(tenant_id));
CREATE POLICY template_versions_global_select ON template_versions FOR SELECT USING (tenant_id IS NULL AND app_is_known_actor());
CREATE POLICY template_versions_operator_select ON template_versions FOR SELECT USING (app_is_global_operator());
CREATE POLICY template_versions_operator_global ON template_versions FOR ALL
  USING (tenant_id IS NULL AND app_is_global_operator())
  WITH CHECK (tenant_id IS NULL AND app_is_global_operator()
              AND EXISTS (SELECT 1 FROM templates t WHERE t.id = template_id AND t.tenant_id IS NULL));
CREATE TRIGGER template_versions_immutable BEFORE UPDATE ON template_versions FOR EACH ROW
  EXECUTE FUNCTION app_guard_update('tenant_admin,api_key,system_tenant,operator,system', 'is_active');

CREATE POLICY events_in_tenant ON events FOR ALL USING (app_in_tenant(tenant_id)) WITH CHECK (app_in_tenant(tenant_id));
CREATE POLICY events_operator_select ON events FOR SELECT USING (app_is_global_operator());

-- notification_logs: operators may replay (update); system (the sweeper) reads across tenants
-- and may change only the scheduling columns.
CREATE POLICY notification_logs_in_tenant ON notification_logs FOR ALL
  USING (app_in_tenant(tenant_id)) WITH CHECK (app_in_tenant(tenant_id));
CREATE POLICY notification_logs_operator_select ON notification_logs FOR SELECT USING (app_is_global_operator());
CREATE POLICY notification_logs_operator_update ON notification_logs FOR UPDATE
  USING (app_is_global_operator()) WITH CHECK (app_is_global_operator());
CREATE POLICY notification_logs_system_select ON notification_logs FOR SELECT USING (app_is_system());
CREATE POLICY notification_logs_system_update ON notification_logs FOR UPDATE USING (app_is_system()) WITH CHECK (app_is_system());
CREATE TRIGGER notification_logs_guard_system BEFORE UPDATE ON notification_logs FOR EACH ROW
  EXECUTE FUNCTION app_guard_update('system', 'status', 'attempt_number', 'next_attempt_at', 'lease_expires_at',
    'lease_version', 'last_error_code', 'last_error_message', 'updated_at');

CREATE POLICY notification_attempts_in_tenant ON notification_attempts FOR ALL
  USING (app_in_tenant(tenant_id)) WITH CHECK (app_in_tenant(tenant_id));
CREATE POLICY notification_attempts_operator_select ON notification_attempts FOR SELECT USING (app_is_global_operator());

CREATE POLICY failed_notifications_in_tenant ON failed_notifications FOR ALL
  USING (app_in_tenant(tenant_id)) WITH CHECK (app_in_tenant(tenant_id));
CREATE POLICY failed_notifications_operator_select ON failed_notifications FOR SELECT USING (app_is_global_operator());
CREATE POLICY failed_notifications_operator_update ON failed_notifications FOR UPDATE
  USING (app_is_global_operator()) WITH CHECK (app_is_global_operator());
CREATE POLICY failed_notifications_system_select ON failed_notifications FOR SELECT USING (app_is_system());

CREATE POLICY in_app_notifications_in_tenant ON in_app_notifications FOR ALL
  USING (app_in_tenant(tenant_id)) WITH CHECK (app_in_tenant(tenant_id));
CREATE POLICY in_app_notifications_operator_select ON in_app_notifications FOR SELECT USING (app_is_global_operator());

CREATE POLICY sandbox_messages_in_tenant ON sandbox_messages FOR ALL
  USING (app_in_tenant(tenant_id)) WITH CHECK (app_in_tenant(tenant_id));
CREATE POLICY sandbox_messages_operator_select ON sandbox_messages FOR SELECT USING (app_is_global_operator());

-- audit_logs: append-only. No UPDATE/DELETE policy and no UPDATE/DELETE grant. Platform rows
-- (tenant_id NULL) are read by the global operator only; system may append platform rows.
CREATE POLICY audit_logs_in_tenant_select ON audit_logs FOR SELECT USING (app_in_tenant(tenant_id));
CREATE POLICY audit_logs_in_tenant_insert ON audit_logs FOR INSERT WITH CHECK (app_in_tenant(tenant_id));
CREATE POLICY audit_logs_operator_select ON audit_logs FOR SELECT USING (app_is_global_operator());
CREATE POLICY audit_logs_operator_insert ON audit_logs FOR INSERT WITH CHECK (app_is_global_operator());
CREATE POLICY audit_logs_system_insert ON audit_logs FOR INSERT WITH CHECK (app_is_system() AND tenant_id IS NULL);

-- Grants ---------------------------------------------------------------------------------------

GRANT USAGE ON SCHEMA public TO orqestra_app;

GRANT SELECT, INSERT, UPDATE, DELETE ON
  tenants, api_keys, tenant_admins, admin_sessions, provider_configs, templates, template_versions,
  events, notification_logs, notification_attempts, failed_notifications, in_app_notifications,
  sandbox_messages
TO orqestra_app;
GRANT SELECT, INSERT, UPDATE ON operators TO orqestra_app;
GRANT SELECT, INSERT ON audit_logs TO orqestra_app;

GRANT EXECUTE ON FUNCTION
  app_current_tenant(), app_actor(), app_in_tenant(uuid), app_is_global_operator(), app_is_operator(),
  app_is_system(), app_is_known_actor(), app_is_auth_lookup()
TO orqestra_app;
