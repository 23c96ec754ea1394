import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { BusProducer } from '@orqestra/bus';
import type { Channel, Dispatch } from '@orqestra/contracts';
import { deliveryState, withOperator, type Database, type TenantTx } from '@orqestra/db';
import { AppError } from '../../platform/errors.js';
import { DATABASE, PRODUCER } from '../../platform/tokens.js';
import { appendAudit } from '../audit/audit.repository.js';
import { previewTemplate } from './engine/template.preview.js';
import type { RenderableTemplate } from './engine/template.types.js';
import { activateVersion, TemplateService } from './template.service.js';
import type { CreateVersionBody, DraftPreviewBody, PreviewBody, TestSendBody } from './template.schemas.js';
import { type Actor, auditBy, inOwnTenant, tenantOf } from '../../platform/auth/actor.js';

const RENDER_ONLY: ReadonlySet<string> = new Set(['TEMPLATE_RENDER_TIMEOUT', 'TEMPLATE_OUTPUT_TOO_LARGE']);

/**
 * A tenant admin's templates (SPEC §4, §6): saving a version (validated and compiled by the
 * engine: errors carry line and column), listing, activating (an older version = rollback),
 * deactivating, previewing with sample variables, and a test send through the tenant's real
 * provider path that the log marks as a test. Changes are audited in their own transaction.
 */
@Injectable()
export class TenantTemplateService {
  private readonly templates: TemplateService;

  constructor(
    @Inject(DATABASE) private readonly database: Database,
    @Inject(PRODUCER) private readonly producer: BusProducer,
  ) {
    this.templates = new TemplateService(database);
  }

  async list(actor: Actor, filter: { eventType?: string; channel?: Channel; page: number; limit: number }) {
    return this.inTenant(actor, async (tx) => {
      let query = tx.db.selectFrom('templates as t').where('t.tenant_id', '=', tx.tenantId);
      if (filter.eventType) query = query.where('t.event_type', '=', filter.eventType);
      if (filter.channel) query = query.where('t.channel', '=', filter.channel);
      const total = Number((await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
      const rows = await query
        .select((eb) => [
          't.id', 't.event_type', 't.channel', 't.locale', 't.updated_at',
          eb.selectFrom('template_versions as v').select('v.version').whereRef('v.template_id', '=', 't.id').where('v.is_active', '=', true).as('active_version'),
          eb.selectFrom('template_versions as v').select((e) => e.fn.max('v.version').as('m')).whereRef('v.template_id', '=', 't.id').as('latest_version'),
        ])
        .orderBy('t.event_type').orderBy('t.channel').orderBy('t.locale')
        .limit(filter.limit)
        .offset((filter.page - 1) * filter.limit)
        .execute();
      return {
        total,
        rows: rows.map((r) => ({
          id: r.id,
          eventType: r.event_type,
          channel: r.channel as Channel,
          locale: r.locale,
          activeVersion: r.active_version ?? null,
          latestVersion: r.latest_version === null ? null : Number(r.latest_version),
          updatedAt: r.updated_at.toISOString(),
        })),
      };
    });
  }

  async versions(actor: Actor, templateId: string, paging: { page: number; limit: number }) {
    return this.inTenant(actor, async (tx) => {
      await this.template(tx, templateId);
      const base = tx.db.selectFrom('template_versions').where('tenant_id', '=', tx.tenantId).where('template_id', '=', templateId);
      const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
      const rows = await base.selectAll().orderBy('version', 'desc').limit(paging.limit).offset((paging.page - 1) * paging.limit).execute();
      return { total, rows: rows.map(versionView) };
    });
  }

  async create(actor: Actor, body: CreateVersionBody) {
    const { eventType, locale, activate, ...draft } = body;
    const tenantId = tenantOf(actor);
    return this.templates.saveVersion(
      { kind: 'tenant', tenantId, actor: { type: 'tenant_admin', id: actor.id } },
      { eventType, ...(locale ? { locale } : {}), draft, activate: activate === true, createdBy: actor.id },
      {
        inTransaction: (tx, saved) =>
          appendAudit(tx, {
            tenantId,
            ...auditBy(actor),
            action: 'template.version.create',
            resourceType: 'template',
            resourceId: saved.templateId,
            after: { eventType, channel: draft.channel, locale: locale ?? 'en', version: saved.version, active: saved.active },
          }),
      },
    );
  }

  /** Makes `version` the active one (a rollback when it is older), or deactivates the template (`null`). */
  async activate(actor: Actor, templateId: string, version: number | null): Promise<{ templateId: string; activeVersion: number | null }> {
    await this.inTenant(actor, async (tx) => {
      const template = await this.template(tx, templateId);
      const before = await tx.db.selectFrom('template_versions').select('version').where('template_id', '=', templateId).where('is_active', '=', true).executeTakeFirst();
      await activateVersion(tx, templateId, version);
      await appendAudit(tx, {
        tenantId: tx.tenantId,
        ...auditBy(actor),
        action: version === null ? 'template.deactivate' : 'template.activate',
        resourceType: 'template',
        resourceId: templateId,
        before: { eventType: template.event_type, channel: template.channel, locale: template.locale, activeVersion: before?.version ?? null },
        after: { eventType: template.event_type, channel: template.channel, locale: template.locale, activeVersion: version },
      });
    });
    return { templateId, activeVersion: version };
  }

  async preview(actor: Actor, templateId: string, body: PreviewBody) {
    const { version } = await this.inTenant(actor, async (tx) => {
      const found = await this.pick(tx, templateId, body.version);
      await appendAudit(tx, { tenantId: tx.tenantId, ...auditBy(actor), action: 'template.preview', resourceType: 'template', resourceId: templateId, after: { version: found.number } });
      return found;
    });
    const result = previewTemplate({ version, sample: body.variables, payload: body.payload, locale: body.locale ?? null });
    if (!result.ok) return { ok: false as const, errors: result.errors, warnings: result.warnings };
    return { ok: true as const, content: result.content, warnings: result.warnings, sms: result.sms, durationMs: result.durationMs };
  }

  /**
   * Renders a draft that is not saved (the editor's live preview): the same checks as a save, so a
   * draft a save would refuse comes back with the same coded errors, field, line and column (as
   * `ok: false`, not as an HTTP error). MJML validation problems come back as MJML_INVALID
   * warnings with their place while the HTML is still produced; `savable` says whether a save would
   * take the draft as it is. Nothing is stored but the audit entry. A tenant admin or viewer
   * previews in its tenant; an operator previews a global template (no tenant).
   */
  async previewDraft(actor: Actor, body: DraftPreviewBody) {
    const { variables, payload, locale, eventType, ...draft } = body;
    const audit = { ...auditBy(actor), action: 'template.preview', resourceType: 'template', after: { draft: true, eventType: eventType ?? null, channel: draft.channel } };
    if (actor.type === 'operator') await withOperator(this.database, actor.id, (tx) => appendAudit(tx, { tenantId: null, ...audit }));
    else await this.inTenant(actor, (tx) => appendAudit(tx, { tenantId: tx.tenantId, ...audit }));
    const result = previewTemplate({ draft, sample: variables, payload, locale: locale ?? null });
    // Render-time limits (time, output size) do not stop a save; everything else does.
    if (!result.ok) return { ok: false as const, savable: result.errors.every((e) => RENDER_ONLY.has(e.code)), errors: result.errors, warnings: result.warnings };
    const savable = !result.warnings.some((w) => w.code === 'MJML_INVALID');
    return { ok: true as const, savable, content: result.content, warnings: result.warnings, sms: result.sms, durationMs: result.durationMs };
  }

  /**
   * Renders the version for one recipient, writes a log row marked `is_test` (with the audit entry,
   * in one transaction) and publishes the dispatch after the commit; the gateway delivers it through
   * the tenant's providers like any other notification (the sweeper republishes it if the publish is lost).
   */
  async testSend(actor: Actor, templateId: string, body: TestSendBody): Promise<{ notificationId: string; eventId: string }> {
    const dispatch = await this.inTenant(actor, async (tx) => {
      const template = await this.template(tx, templateId);
      const channel = template.channel as Channel;
      const address = channel === 'EMAIL' ? body.recipient.email : channel === 'SMS' ? body.recipient.phone : undefined;
      if (channel !== 'PUSH' && !address) {
        throw new AppError('VALIDATION_FAILED', { details: [{ path: channel === 'EMAIL' ? 'recipient.email' : 'recipient.phone', message: `a ${channel} test send needs this` }] });
      }
      const { version, id: versionId, number } = await this.pick(tx, templateId, body.version);
      const userId = body.recipient.userId ?? `test-${actor.id}`;
      const rendered = previewTemplate({ version, sample: body.variables, payload: { userId, ...body.payload }, locale: body.locale ?? null });
      if (!rendered.ok) {
        const e = rendered.errors[0]!;
        throw new AppError(e.code, { details: rendered.errors.map((i) => ({ path: i.field ?? 'template', message: i.message, ...(i.line !== null ? { line: i.line } : {}), ...(i.column !== null ? { column: i.column } : {}) })) });
      }
      const eventId = `test-${randomUUID()}`;
      const receivedAt = new Date();
      const notificationId = await deliveryState.createTestSend(tx, {
        eventId,
        eventType: template.event_type,
        channel,
        userId,
        recipient: address ?? null,
        templateVersionId: versionId,
        content: rendered.content,
        traceId: actor.traceId,
        receivedAt,
      });
      await appendAudit(tx, {
        tenantId: tx.tenantId,
        ...auditBy(actor),
        action: 'template.test_send',
        resourceType: 'template',
        resourceId: templateId,
        after: { notificationId, channel, version: number },
      });
      const message: Dispatch = {
        v: 1,
        notificationId,
        attemptSeries: 1,
        tenantId: tx.tenantId,
        mode: 'live',
        isTest: true,
        eventId,
        eventType: template.event_type,
        channel,
        recipient: { userId, ...(channel === 'EMAIL' ? { email: address } : {}), ...(channel === 'SMS' ? { phone: address } : {}) },
        content: rendered.content,
        traceId: actor.traceId,
        receivedAt: receivedAt.toISOString(),
      };
      return message;
    });
    await this.producer.publish('dispatch', [{ message: dispatch, traceId: dispatch.traceId }]);
    return { notificationId: dispatch.notificationId, eventId: dispatch.eventId };
  }

  private async template(tx: TenantTx, templateId: string) {
    const template = await tx.db.selectFrom('templates').selectAll().where('tenant_id', '=', tx.tenantId).where('id', '=', templateId).executeTakeFirst();
    if (!template) throw new AppError('TEMPLATE_NOT_FOUND');
    return template;
  }

  /** The given version, else the active one, else the latest. */
  private async pick(tx: TenantTx, templateId: string, number: number | undefined): Promise<{ version: RenderableTemplate; id: string; number: number }> {
    const template = await this.template(tx, templateId);
    let query = tx.db.selectFrom('template_versions').selectAll().where('tenant_id', '=', tx.tenantId).where('template_id', '=', templateId);
    query = number !== undefined ? query.where('version', '=', number) : query.orderBy('is_active', 'desc').orderBy('version', 'desc');
    const row = await query.limit(1).executeTakeFirst();
    if (!row) throw new AppError('TEMPLATE_NOT_FOUND', { message: number !== undefined ? `Version ${number} does not exist` : 'The template has no versions' });
    return {
      id: row.id,
      number: row.version,
      version: {
        id: row.id,
        channel: template.channel as Channel,
        subject: row.subject,
        bodyFormat: row.body_format as RenderableTemplate['bodyFormat'],
        bodySource: row.body_source,
        compiledHtml: row.compiled_html,
        textBody: row.text_body,
        title: row.title,
        pushBody: row.push_body,
        category: row.category as RenderableTemplate['category'],
        data: (row.data as Record<string, unknown> | null) ?? null,
      },
    };
  }

  private inTenant<T>(actor: Actor, fn: (tx: TenantTx) => Promise<T>): Promise<T> {
    return inOwnTenant(this.database, actor, fn);
  }
}

function versionView(row: {
  id: string; version: number; is_active: boolean; created_at: Date; created_by: string | null; subject: string | null; body_format: string | null;
  body_source: string | null; text_body: string | null; title: string | null; push_body: string | null; category: string | null; data: unknown;
}) {
  return {
    version: row.version,
    id: row.id,
    active: row.is_active,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    subject: row.subject,
    bodyFormat: row.body_format,
    body: row.body_source,
    textBody: row.text_body,
    title: row.title,
    pushBody: row.push_body,
    category: row.category,
    data: (row.data as Record<string, unknown> | null) ?? null,
  };
}
