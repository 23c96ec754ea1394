import { sql } from 'kysely';
import type { Channel } from '@orqestra/contracts';
import type { OperatorTx, TenantTx } from '@orqestra/db';
import type { RenderableTemplate } from './engine/template.types.js';

/**
 * Every statement on `templates` and `template_versions`. Tenant templates are read and written in
 * the tenant's context; global ones (tenant_id NULL) by an operator. The services decide; these
 * functions only query, in the caller's transaction.
 */

/** A handle that may write templates: a tenant's (its own rows) or an operator's (global rows, or a tenant's). */
export type WriteTx = TenantTx | OperatorTx;

export interface Paging {
  page: number;
  limit: number;
}

export interface ActiveTemplate extends RenderableTemplate {
  id: string;
  owner: 'tenant' | 'global';
  locale: string;
}

/**
 * The active version per channel for an event type, by SPEC §3 step 2's lookup chain: the
 * tenant's templates by `localeChain`, then the platform's global templates by the same chain.
 * One query; the choice is made here, in order.
 */
export async function findActiveTemplates(
  tx: TenantTx,
  eventType: string,
  channels: readonly Channel[],
  localeChain: readonly string[],
): Promise<Map<Channel, ActiveTemplate>> {
  const found = new Map<Channel, ActiveTemplate>();
  if (channels.length === 0 || localeChain.length === 0) return found;
  const rows = await tx.db
    .selectFrom('templates as t')
    .innerJoin('template_versions as v', (join) => join.onRef('v.template_id', '=', 't.id').on('v.is_active', '=', true))
    .select([
      't.tenant_id',
      't.channel',
      't.locale',
      'v.id',
      'v.subject',
      'v.body_format',
      'v.body_source',
      'v.compiled_html',
      'v.text_body',
      'v.title',
      'v.push_body',
      'v.category',
      'v.data',
    ])
    .where('t.event_type', '=', eventType)
    .where('t.channel', 'in', [...channels])
    .where('t.locale', 'in', [...localeChain])
    .where((eb) => eb.or([eb('t.tenant_id', '=', tx.tenantId), eb('t.tenant_id', 'is', null)]))
    .execute();
  const rank = (row: (typeof rows)[number]) => (row.tenant_id === null ? localeChain.length : 0) + localeChain.indexOf(row.locale);
  for (const row of [...rows].sort((a, b) => rank(a) - rank(b))) {
    const channel = row.channel as Channel;
    if (found.has(channel)) continue;
    found.set(channel, {
      id: row.id,
      owner: row.tenant_id === null ? 'global' : 'tenant',
      locale: row.locale,
      channel,
      subject: row.subject,
      bodyFormat: row.body_format,
      bodySource: row.body_source,
      compiledHtml: row.compiled_html,
      textBody: row.text_body,
      title: row.title,
      pushBody: row.push_body,
      category: row.category,
      data: (row.data as Record<string, unknown> | null) ?? null,
    });
  }
  return found;
}

// ---- saving and activating (TemplateService) ----

/** The template's id for (owner, event type, channel, locale), inserted on first save. */
export async function findOrCreateTemplate(
  tx: WriteTx,
  tenantId: string | null,
  eventType: string,
  channel: Channel,
  locale: string,
): Promise<string> {
  const inserted = await tx.db
    .insertInto('templates')
    .values({ tenant_id: tenantId, event_type: eventType, channel, locale })
    .onConflict((oc) => oc.constraint('templates_identity_key').doUpdateSet({ updated_at: new Date() }))
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

/** The template's highest version number, 0 when it has none. */
export async function latestVersionNumber(tx: WriteTx, templateId: string): Promise<number> {
  const last = await tx.db
    .selectFrom('template_versions')
    .select((eb) => eb.fn.max('version').as('max'))
    .where('template_id', '=', templateId)
    .executeTakeFirst();
  return Number(last?.max ?? 0);
}

export interface NewTemplateVersion {
  templateId: string;
  tenantId: string | null;
  version: number;
  subject: string | null;
  bodySource: string | null;
  bodyFormat: RenderableTemplate['bodyFormat'];
  compiledHtml: string | null;
  textBody: string | null;
  title: string | null;
  pushBody: string | null;
  category: RenderableTemplate['category'];
  data: Record<string, unknown> | null;
  createdBy: string;
}

/** Stores a new (immutable, inactive) version; returns its id. */
export async function insertTemplateVersion(tx: WriteTx, v: NewTemplateVersion): Promise<string> {
  const row = await tx.db
    .insertInto('template_versions')
    .values({
      template_id: v.templateId,
      tenant_id: v.tenantId,
      version: v.version,
      subject: v.subject,
      body_source: v.bodySource,
      body_format: v.bodyFormat,
      compiled_html: v.compiledHtml,
      text_body: v.textBody,
      title: v.title,
      push_body: v.pushBody,
      category: v.category,
      data: v.data === null ? null : JSON.stringify(v.data),
      created_by: v.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The id of the template of (owner, event type, channel, locale): tenantId null = the global one. */
export async function findTemplateId(
  tx: WriteTx,
  tenantId: string | null,
  eventType: string,
  channel: Channel,
  locale: string,
): Promise<string | undefined> {
  const template = await tx.db
    .selectFrom('templates')
    .select('id')
    .where((eb) => (tenantId === null ? eb('tenant_id', 'is', null) : eb('tenant_id', '=', tenantId)))
    .where('event_type', '=', eventType)
    .where('channel', '=', channel)
    .where('locale', '=', locale)
    .executeTakeFirst();
  return template?.id;
}

export async function versionExists(tx: WriteTx, templateId: string, version: number): Promise<boolean> {
  const exists = await tx.db
    .selectFrom('template_versions')
    .select('id')
    .where('template_id', '=', templateId)
    .where('version', '=', version)
    .executeTakeFirst();
  return exists !== undefined;
}

/** Leaves `version` the template's only active version; null leaves none active. */
export async function setActiveVersion(tx: WriteTx, templateId: string, version: number | null): Promise<void> {
  await tx.db
    .updateTable('template_versions')
    .set({ is_active: false })
    .where('template_id', '=', templateId)
    .where('is_active', '=', true)
    .execute();
  if (version !== null) {
    await tx.db
      .updateTable('template_versions')
      .set({ is_active: true })
      .where('template_id', '=', templateId)
      .where('version', '=', version)
      .execute();
  }
}

/** The number of the template's active version, if one is. */
export async function activeVersionNumber(tx: WriteTx, templateId: string): Promise<number | undefined> {
  const active = await tx.db
    .selectFrom('template_versions')
    .select('version')
    .where('template_id', '=', templateId)
    .where('is_active', '=', true)
    .executeTakeFirst();
  return active?.version;
}

// ---- a tenant's templates (TenantTemplateService) ----

/** A page of the tenant's templates with their active and latest version numbers, and the count of all that match. */
export async function listTenantTemplates(tx: TenantTx, filter: Paging & { eventType?: string; channel?: Channel }) {
  let query = tx.db.selectFrom('templates as t').where('t.tenant_id', '=', tx.tenantId);
  if (filter.eventType) query = query.where('t.event_type', '=', filter.eventType);
  if (filter.channel) query = query.where('t.channel', '=', filter.channel);
  const total = Number((await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
  const rows = await query
    .select((eb) => [
      't.id',
      't.event_type',
      't.channel',
      't.locale',
      't.updated_at',
      eb
        .selectFrom('template_versions as v')
        .select('v.version')
        .whereRef('v.template_id', '=', 't.id')
        .where('v.is_active', '=', true)
        .as('active_version'),
      eb
        .selectFrom('template_versions as v')
        .select((e) => e.fn.max('v.version').as('m'))
        .whereRef('v.template_id', '=', 't.id')
        .as('latest_version'),
    ])
    .orderBy('t.event_type')
    .orderBy('t.channel')
    .orderBy('t.locale')
    .limit(filter.limit)
    .offset((filter.page - 1) * filter.limit)
    .execute();
  return { total, rows };
}

/** One of the tenant's own templates. */
export function findTenantTemplate(tx: TenantTx, templateId: string) {
  return tx.db.selectFrom('templates').selectAll().where('tenant_id', '=', tx.tenantId).where('id', '=', templateId).executeTakeFirst();
}

/** A page of a tenant template's versions, newest first, and their count. */
export async function tenantTemplateVersions(tx: TenantTx, templateId: string, paging: Paging) {
  const base = tx.db.selectFrom('template_versions').where('tenant_id', '=', tx.tenantId).where('template_id', '=', templateId);
  const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
  const rows = await base
    .selectAll()
    .orderBy('version', 'desc')
    .limit(paging.limit)
    .offset((paging.page - 1) * paging.limit)
    .execute();
  return { total, rows };
}

/** Version `number` of a tenant template; without a number, the active one, else the latest. */
export function pickTenantVersion(tx: TenantTx, templateId: string, number: number | undefined) {
  let query = tx.db.selectFrom('template_versions').selectAll().where('tenant_id', '=', tx.tenantId).where('template_id', '=', templateId);
  query = number !== undefined ? query.where('version', '=', number) : query.orderBy('is_active', 'desc').orderBy('version', 'desc');
  return query.limit(1).executeTakeFirst();
}

// ---- the platform's global templates (GlobalTemplateService) ----

/**
 * A page of the global templates (`search`: part of the event type, case-insensitive; `id`: that one
 * only), each with its latest and active version and the number of tenants (not deleted) with an
 * active template of their own for the same event type, channel and locale; and the count of all that match.
 */
export async function listGlobalTemplates(tx: OperatorTx, page: Paging & { search?: string; id?: string }) {
  let base = tx.db.selectFrom('templates as t').where('t.tenant_id', 'is', null);
  if (page.id) base = base.where('t.id', '=', page.id);
  if (page.search) base = base.where('t.event_type', 'ilike', `%${page.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const [rows, count] = await Promise.all([
    base
      .innerJoin('template_versions as v', 'v.template_id', 't.id')
      .select(['t.id', 't.event_type', 't.channel', 't.locale', 't.updated_at'])
      .select((eb) => [
        eb.fn.max('v.version').as('latest'),
        sql<number | null>`max(v.version) FILTER (WHERE v.is_active)`.as('active'),
        eb
          .selectFrom('templates as o')
          .innerJoin('template_versions as ov', (join) => join.onRef('ov.template_id', '=', 'o.id').on('ov.is_active', '=', true))
          .innerJoin('tenants as owner', 'owner.id', 'o.tenant_id')
          .where('owner.status', '<>', 'deleted')
          .whereRef('o.event_type', '=', 't.event_type')
          .whereRef('o.channel', '=', 't.channel')
          .whereRef('o.locale', '=', 't.locale')
          .select((e) => e.fn.count<string>('o.tenant_id').distinct().as('n'))
          .as('overridden_by'),
      ])
      .groupBy(['t.id', 't.event_type', 't.channel', 't.locale', 't.updated_at'])
      .orderBy('t.event_type')
      .orderBy('t.channel')
      .orderBy('t.locale')
      .limit(page.limit)
      .offset((page.page - 1) * page.limit)
      .execute(),
    base.select(sql<string>`count(*)`.as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}

/** A page of a global template's versions, newest first, and their count. */
export async function globalTemplateVersions(tx: OperatorTx, templateId: string, page: Paging) {
  const base = tx.db.selectFrom('template_versions').where('template_id', '=', templateId).where('tenant_id', 'is', null);
  const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
  const rows = await base
    .select([
      'id',
      'version',
      'is_active',
      'subject',
      'body_format',
      'body_source',
      'text_body',
      'title',
      'push_body',
      'category',
      'data',
      'created_by',
      'created_at',
    ])
    .orderBy('version', 'desc')
    .limit(page.limit)
    .offset((page.page - 1) * page.limit)
    .execute();
  return { total, rows };
}

/** A global template's identity and active version number. */
export function findGlobalTemplate(tx: OperatorTx, templateId: string) {
  return tx.db
    .selectFrom('templates as t')
    .leftJoin('template_versions as v', (join) => join.onRef('v.template_id', '=', 't.id').on('v.is_active', '=', true))
    .select(['t.event_type', 't.channel', 't.locale', 'v.version as active'])
    .where('t.id', '=', templateId)
    .where('t.tenant_id', 'is', null)
    .executeTakeFirst();
}
