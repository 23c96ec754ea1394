import type { Channel } from '@orqestra/contracts';
import { withOperator, withTenant, type Database, type OperatorTx, type TenantTx } from '@orqestra/db';
import { AppError } from '../../platform/errors.js';
import { canonicalLocale, FALLBACK_LOCALE } from './engine/locale-chain.js';
import { compileTemplate } from './engine/template.compiler.js';
import type { SmsReport } from './engine/sms-segments.js';
import type { TemplateDraft, TemplateWarning } from './engine/template.types.js';

/** Who saves: a tenant (its admin, or an operator acting for it), or an operator for the platform's global templates. */
export type TemplateOwner = { kind: 'tenant'; tenantId: string; actor: { type: 'tenant_admin' | 'operator'; id: string } } | { kind: 'global'; operatorId: string };

export interface SavedVersion {
  templateId: string;
  versionId: string;
  version: number;
  active: boolean;
  warnings: TemplateWarning[];
  sms: SmsReport | null;
}

export type WriteTx = TenantTx | OperatorTx;

/**
 * Template versions (SPEC §4): saving validates and compiles (MJML at save time), then stores a
 * new immutable version; at most one version is active, and activating an older one is a rollback.
 * Used by the CLI, and by the tenant and global template services behind the console.
 */
export class TemplateService {
  constructor(private readonly database: Database) {}

  /** `hooks.inTransaction` runs in the saving transaction (the admin API's audit entry commits with the version). */
  async saveVersion(
    owner: TemplateOwner,
    input: { eventType: string; locale?: string; draft: TemplateDraft; activate?: boolean; createdBy: string },
    hooks: { inTransaction?: (tx: WriteTx, saved: SavedVersion) => Promise<void> } = {},
  ): Promise<SavedVersion> {
    if (owner.kind === 'global' && !input.eventType.startsWith('global.')) {
      throw new AppError('VALIDATION_FAILED', { details: [{ path: 'eventType', message: 'global templates have event types global.*' }] });
    }
    const locale = canonicalLocale(input.locale ?? FALLBACK_LOCALE);
    if (!locale) throw new AppError('VALIDATION_FAILED', { details: [{ path: 'locale', message: 'must be a BCP 47 language tag' }] });
    const compiled = compileTemplate(input.draft);
    if (!compiled.ok) {
      throw new AppError(compiled.errors[0]!.code, {
        message: 'The template was not saved',
        details: compiled.errors.map((e) => ({ path: e.field ?? 'template', message: e.message, ...(e.line !== null ? { line: e.line } : {}), ...(e.column !== null ? { column: e.column } : {}) })),
      });
    }
    const v = compiled.version;
    return this.inContext(owner, async (tx) => {
      const tenantId = owner.kind === 'tenant' ? owner.tenantId : null;
      const template = await this.findOrCreateTemplate(tx, tenantId, input.eventType, v.channel, locale);
      const last = await tx.db.selectFrom('template_versions').select((eb) => eb.fn.max('version').as('max')).where('template_id', '=', template).executeTakeFirst();
      const version = Number(last?.max ?? 0) + 1;
      const row = await tx.db
        .insertInto('template_versions')
        .values({
          template_id: template,
          tenant_id: tenantId,
          version,
          subject: v.subject,
          body_source: v.bodySource,
          body_format: v.bodyFormat,
          compiled_html: v.compiledHtml,
          text_body: v.textBody,
          title: v.title,
          push_body: v.pushBody,
          category: v.category,
          data: v.data === null ? null : JSON.stringify(v.data),
          created_by: input.createdBy,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (input.activate) await activateVersion(tx, template, version);
      const saved = { templateId: template, versionId: row.id, version, active: input.activate === true, warnings: compiled.warnings, sms: compiled.sms };
      await hooks.inTransaction?.(tx, saved);
      return saved;
    });
  }

  /** Makes `version` the one active version (a rollback when it is older); `null` deactivates the template. */
  async activate(
    owner: TemplateOwner,
    input: { eventType: string; channel: Channel; locale?: string; version: number | null },
    hooks: { inTransaction?: (tx: WriteTx, templateId: string) => Promise<void> } = {},
  ): Promise<void> {
    const locale = canonicalLocale(input.locale ?? FALLBACK_LOCALE) ?? FALLBACK_LOCALE;
    await this.inContext(owner, async (tx) => {
      const tenantId = owner.kind === 'tenant' ? owner.tenantId : null;
      const template = await tx.db
        .selectFrom('templates')
        .select('id')
        .where((eb) => (tenantId === null ? eb('tenant_id', 'is', null) : eb('tenant_id', '=', tenantId)))
        .where('event_type', '=', input.eventType)
        .where('channel', '=', input.channel)
        .where('locale', '=', locale)
        .executeTakeFirst();
      if (!template) throw new AppError('TEMPLATE_NOT_FOUND');
      await activateVersion(tx, template.id, input.version);
      await hooks.inTransaction?.(tx, template.id);
    });
  }

  private async findOrCreateTemplate(tx: WriteTx, tenantId: string | null, eventType: string, channel: Channel, locale: string): Promise<string> {
    const inserted = await tx.db
      .insertInto('templates')
      .values({ tenant_id: tenantId, event_type: eventType, channel, locale })
      .onConflict((oc) => oc.constraint('templates_identity_key').doUpdateSet({ updated_at: new Date() }))
      .returning('id')
      .executeTakeFirstOrThrow();
    return inserted.id;
  }

  private inContext<T>(owner: TemplateOwner, fn: (tx: WriteTx) => Promise<T>): Promise<T> {
    if (owner.kind === 'global') return withOperator(this.database, owner.operatorId, fn);
    if (owner.actor.type === 'operator') return withOperator(this.database, owner.actor.id, fn, { tenantId: owner.tenantId });
    return withTenant(this.database, { tenantId: owner.tenantId, actorType: 'tenant_admin', actorId: owner.actor.id }, fn);
  }
}

/** Makes `version` the template's one active version (an older one = rollback); null deactivates it. */
export async function activateVersion(tx: WriteTx, templateId: string, version: number | null): Promise<void> {
  if (version !== null) {
    const exists = await tx.db.selectFrom('template_versions').select('id').where('template_id', '=', templateId).where('version', '=', version).executeTakeFirst();
    if (!exists) throw new AppError('TEMPLATE_NOT_FOUND', { message: `Version ${version} does not exist` });
  }
  await tx.db.updateTable('template_versions').set({ is_active: false }).where('template_id', '=', templateId).where('is_active', '=', true).execute();
  if (version !== null) {
    await tx.db.updateTable('template_versions').set({ is_active: true }).where('template_id', '=', templateId).where('version', '=', version).execute();
  }
}
