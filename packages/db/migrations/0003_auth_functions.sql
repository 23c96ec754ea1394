-- 0003_auth_functions: the look-ups that happen before the tenant is known (SPEC §7). Each is a
-- SECURITY DEFINER function owned by the migrating owner role, with a fixed search_path, that
-- returns only the columns listed in its comment (the isolation tests compare the function's
-- result columns with the same list). EXECUTE is revoked from PUBLIC and granted to
-- orqestra_app. While the look-up runs, app.actor_type is 'auth_lookup' (then restored), which
-- only the owner-role policies of 0002 accept: the services cannot obtain that access by setting
-- the variable themselves. (A function-level SET clause would be neater, but PostgreSQL lets only
-- superusers attach custom settings to functions, hence set_config in a plpgsql body.)
-- Keys and tokens are looked up by their SHA-256 in lowercase hex, never in plaintext.

-- auth_api_key(key_hash) -> api_key_id, tenant_id, mode, key_status, key_expires_at,
--   sandbox_session_id, tenant_status, rate_limit_per_minute, burst, daily_cap,
--   webhook_secret_ciphertext, webhook_secret_previous_ciphertext,
--   webhook_secret_previous_expires_at
-- Zero or one row. Revoked and expired keys and non-active tenants are returned as they are:
-- the caller decides (INVALID_API_KEY, SANDBOX_SESSION_INVALID, TENANT_SUSPENDED).
CREATE FUNCTION auth_api_key(p_key_hash text)
RETURNS TABLE (
  api_key_id uuid, tenant_id uuid, mode text, key_status text, key_expires_at timestamptz,
  sandbox_session_id uuid, tenant_status text, rate_limit_per_minute integer, burst integer,
  daily_cap integer, webhook_secret_ciphertext text, webhook_secret_previous_ciphertext text,
  webhook_secret_previous_expires_at timestamptz
)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
#variable_conflict use_column
DECLARE
  previous_actor text := current_setting('app.actor_type', true);
BEGIN
  PERFORM set_config('app.actor_type', 'auth_lookup', true);
  RETURN QUERY
  SELECT k.id, k.tenant_id, k.mode, k.status, k.expires_at, k.sandbox_session_id, t.status,
         t.rate_limit_per_minute, t.burst, t.daily_cap, t.webhook_secret_ciphertext,
         t.webhook_secret_previous_ciphertext, t.webhook_secret_previous_expires_at
    FROM public.api_keys k
    JOIN public.tenants t ON t.id = k.tenant_id
   WHERE k.key_hash = p_key_hash;
  PERFORM set_config('app.actor_type', coalesce(previous_actor, ''), true);
END
$$;
COMMENT ON FUNCTION auth_api_key(text) IS
  'API key hash -> api_key_id, tenant_id, mode, key_status, key_expires_at, sandbox_session_id, tenant_status, rate_limit_per_minute, burst, daily_cap, webhook_secret_ciphertext, webhook_secret_previous_ciphertext, webhook_secret_previous_expires_at';

-- auth_tenant_admin_by_email(email) -> tenant_admin_id, tenant_id, password_hash, role, status,
--   must_change_password, tenant_status
-- Case-insensitive match on the globally unique email. Zero or one row.
CREATE FUNCTION auth_tenant_admin_by_email(p_email text)
RETURNS TABLE (
  tenant_admin_id uuid, tenant_id uuid, password_hash text, role text, status text,
  must_change_password boolean, tenant_status text
)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
#variable_conflict use_column
DECLARE
  previous_actor text := current_setting('app.actor_type', true);
BEGIN
  PERFORM set_config('app.actor_type', 'auth_lookup', true);
  RETURN QUERY
  SELECT a.id, a.tenant_id, a.password_hash, a.role, a.status, a.must_change_password, t.status
    FROM public.tenant_admins a
    JOIN public.tenants t ON t.id = a.tenant_id
   WHERE lower(a.email) = lower(p_email);
  PERFORM set_config('app.actor_type', coalesce(previous_actor, ''), true);
END
$$;
COMMENT ON FUNCTION auth_tenant_admin_by_email(text) IS
  'login email -> tenant_admin_id, tenant_id, password_hash, role, status, must_change_password, tenant_status';

-- auth_operator_by_username(username) -> operator_id, password_hash, status, must_change_password
-- Case-insensitive match. Zero or one row.
CREATE FUNCTION auth_operator_by_username(p_username text)
RETURNS TABLE (operator_id uuid, password_hash text, status text, must_change_password boolean)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
#variable_conflict use_column
DECLARE
  previous_actor text := current_setting('app.actor_type', true);
BEGIN
  PERFORM set_config('app.actor_type', 'auth_lookup', true);
  RETURN QUERY
  SELECT o.id, o.password_hash, o.status, o.must_change_password
    FROM public.operators o
   WHERE lower(o.username) = lower(p_username);
  PERFORM set_config('app.actor_type', coalesce(previous_actor, ''), true);
END
$$;
COMMENT ON FUNCTION auth_operator_by_username(text) IS
  'login username -> operator_id, password_hash, status, must_change_password';

-- auth_admin_session(token_hash) -> session_id, family_id, tenant_id, subject_type, subject_id,
--   role, expires_at, rotated_at, revoked_at
-- For POST .../auth/refresh: finds the session of a presented refresh token. The rotation
-- itself (and revoking the family on reuse) then runs in that subject's own context.
CREATE FUNCTION auth_admin_session(p_token_hash text)
RETURNS TABLE (
  session_id uuid, family_id uuid, tenant_id uuid, subject_type text, subject_id uuid, role text,
  expires_at timestamptz, rotated_at timestamptz, revoked_at timestamptz
)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
#variable_conflict use_column
DECLARE
  previous_actor text := current_setting('app.actor_type', true);
BEGIN
  PERFORM set_config('app.actor_type', 'auth_lookup', true);
  RETURN QUERY
  SELECT s.id, s.family_id, s.tenant_id, s.subject_type, s.subject_id, s.role, s.expires_at,
         s.rotated_at, s.revoked_at
    FROM public.admin_sessions s
   WHERE s.token_hash = p_token_hash;
  PERFORM set_config('app.actor_type', coalesce(previous_actor, ''), true);
END
$$;
COMMENT ON FUNCTION auth_admin_session(text) IS
  'refresh token hash -> session_id, family_id, tenant_id, subject_type, subject_id, role, expires_at, rotated_at, revoked_at';

REVOKE ALL ON FUNCTION auth_api_key(text), auth_tenant_admin_by_email(text),
  auth_operator_by_username(text), auth_admin_session(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_api_key(text), auth_tenant_admin_by_email(text),
  auth_operator_by_username(text), auth_admin_session(text) TO orqestra_app;
