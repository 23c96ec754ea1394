import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { BusProducer } from '@orqestra/bus';
import type { Channel, Dispatch } from '@orqestra/contracts';
import { deliveryState, type Database, type TenantTx } from '@orqestra/db';
import { AppError } from '../../platform/errors.js';
import { DATABASE, PRODUCER } from '../../platform/tokens.js';
import { appendAudit } from '../audit/audit.repository.js';
import { previewTemplate } from './engine/template.preview.js';
import type { RenderableTemplate } from './engine/template.types.js';
import { activateVersion, previewDraft, TemplateService } from './template.service.js';
import {
  activeVersionNumber,
  findTenantTemplate,
  listTenantTemplates,
  pickTenantVersion,
  tenantTemplateVersions,
} from './template.repository.js';
import { versionView } from './template.views.js';
import type { CreateVersionBody, DraftPreviewBody, PreviewBody, TestSendBody } from './template.schemas.js';
import { type Actor, auditBy, inOwnTenant, tenantOf } from '../../platform/auth/actor.js';

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
      const { total, rows } = await listTenantTemplates(tx, filter);
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
      const { total, rows } = await tenantTemplateVersions(tx, templateId, paging);
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
      const before = await activeVersionNumber(tx, templateId);
      await activateVersion(tx, templateId, version);
      await appendAudit(tx, {
        tenantId: tx.tenantId,
        ...auditBy(actor),
        action: version === null ? 'template.deactivate' : 'template.activate',
        resourceType: 'template',
        resourceId: templateId,
        before: { eventType: template.event_type, channel: template.channel, locale: template.locale, activeVersion: before ?? null },
        after: { eventType: template.event_type, channel: template.channel, locale: template.locale, activeVersion: version },
      });
    });
    return { templateId, activeVersion: version };
  }

  async preview(actor: Actor, templateId: string, body: PreviewBody) {
    const { version } = await this.inTenant(actor, async (tx) => {
      const found = await this.pick(tx, templateId, body.version);
      await appendAudit(tx, {
        tenantId: tx.tenantId,
        ...auditBy(actor),
        action: 'template.preview',
        resourceType: 'template',
        resourceId: templateId,
        after: { version: found.number },
      });
      return found;
    });
    const result = previewTemplate({ version, sample: body.variables, payload: body.payload, locale: body.locale ?? null });
    if (!result.ok) return { ok: false as const, errors: result.errors, warnings: result.warnings };
    return { ok: true as const, content: result.content, warnings: result.warnings, sms: result.sms, durationMs: result.durationMs };
  }

  /**
   * Renders a draft that is not saved (the editor's live preview; see `previewDraft` in
   * template.service.ts). Nothing is stored but the audit entry, in the tenant admin's or viewer's tenant.
   */
  async previewDraft(actor: Actor, body: DraftPreviewBody) {
    await this.inTenant(actor, (tx) =>
      appendAudit(tx, {
        tenantId: tx.tenantId,
        ...auditBy(actor),
        action: 'template.preview',
        resourceType: 'template',
        after: { draft: true, eventType: body.eventType ?? null, channel: body.channel },
      }),
    );
    return previewDraft(body);
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
        throw new AppError('VALIDATION_FAILED', {
          details: [{ path: channel === 'EMAIL' ? 'recipient.email' : 'recipient.phone', message: `a ${channel} test send needs this` }],
        });
      }
      const { version, id: versionId, number } = await this.pick(tx, templateId, body.version);
      const userId = body.recipient.userId ?? `test-${actor.id}`;
      const rendered = previewTemplate({
        version,
        sample: body.variables,
        payload: { userId, ...body.payload },
        locale: body.locale ?? null,
      });
      if (!rendered.ok) {
        const e = rendered.errors[0]!;
        throw new AppError(e.code, {
          details: rendered.errors.map((i) => ({
            path: i.field ?? 'template',
            message: i.message,
            ...(i.line !== null ? { line: i.line } : {}),
            ...(i.column !== null ? { column: i.column } : {}),
          })),
        });
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
    const template = await findTenantTemplate(tx, templateId);
    if (!template) throw new AppError('TEMPLATE_NOT_FOUND');
    return template;
  }

  /** The given version, else the active one, else the latest. */
  private async pick(
    tx: TenantTx,
    templateId: string,
    number: number | undefined,
  ): Promise<{ version: RenderableTemplate; id: string; number: number }> {
    const template = await this.template(tx, templateId);
    const row = await pickTenantVersion(tx, templateId, number);
    if (!row)
      throw new AppError('TEMPLATE_NOT_FOUND', {
        message: number !== undefined ? `Version ${number} does not exist` : 'The template has no versions',
      });
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
