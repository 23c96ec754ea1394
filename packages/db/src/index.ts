export {
  createDatabase,
  withTenant,
  withOperator,
  withSystem,
  TransactionAbortedError,
  type Database,
  type DatabaseOptions,
  type TenantTx,
  type OperatorTx,
  type SystemTx,
  type TxDb,
  type TenantContext,
} from './context.js';
export {
  ACTOR_TYPES,
  TENANT_ACTOR_TYPES,
  InvalidContextError,
  buildContextStatement,
  isUuid,
  type ActorType,
  type TenantActorType,
  type ContextSettings,
} from './context-statement.js';
export { migrateToLatest, MigrationError, MIGRATIONS_DIR, type MigrateOptions } from './migrate.js';
export {
  authApiKey,
  authTenantAdminByEmail,
  authOperatorByUsername,
  authAdminSession,
  type ApiKeyAuthRow,
  type TenantAdminAuthRow,
  type OperatorAuthRow,
  type AdminSessionAuthRow,
} from './auth-lookups.js';
export {
  insertTenant,
  insertApiKey,
  insertTenantWithApiKey,
  insertTenantAdmin,
  tenantStatus,
  type NewTenant,
  type NewApiKey,
  type NewTenantAdmin,
  type TenantRow,
  type ApiKeyRow,
  type TenantAdminRow,
} from './tenants.js';
export { insertOperator, type NewOperator, type OperatorRow } from './operators.js';
export { insertProviderConfig, type NewProviderConfig, type ProviderConfigRow } from './provider-configs.js';
export { pingDatabase } from './ping.js';
export { tryTransactionLock } from './advisory-lock.js';
export { isDataRejection } from './errors.js';
export type * from './generated/db.js';
export * as deliveryState from './delivery-state/index.js';
export type {
  Claim,
  ClaimRequest,
  AttemptRecord,
  AttemptRow,
  Failure,
  NewNotification,
  Stranded,
  StrandedRow,
} from './delivery-state/index.js';
