import type { Channel } from '@orqestra/contracts';
import { withOperator, type Database, type OperatorTx } from '@orqestra/db';
import { AppError } from '../../platform/errors.js';
import { appendAudit } from '../audit/audit.repository.js';
import type { TemplateDraft } from './engine/template.types.js';
import { findGlobalTemplate, globalTemplateVersions, listGlobalTemplates } from './template.repository.js';
import type { DraftPreviewBody } from './template.schemas.js';
import { previewDraft, type SavedVersion, type TemplateService } from './template.service.js';
import { type Actor, auditBy } from '../../platform/auth/actor.js';
import { type PageQuery } from '../../platform/query-params.js';
import { versionView, type TemplateVersionView } from './template.views.js';

export interface GlobalTemplateView {
  id: string;
  eventType: string;
  channel: Channel;
  locale: string;
  activeVersion: number | null;
  latestVersion: number;
  updatedAt: string;
  /** Tenants (not deleted) with an active template of their own for the same event type, channel and locale: their events never use this one in that locale. */
  overriddenBy: number;
}

/**
 * The platform's global templates (tenant_id NULL, event types global.*; SPEC §4/§7): readable by
 * every tenant, written by operators only. Saving and activating go through the same
 * TemplateService as the CLI, as the operator actor, with the audit entry in its transaction.
 */
export class GlobalTemplateService {
  constructor(
    private readonly database: Database,
    private readonly templates: TemplateService,
  ) {}

  async saveVersion(
    actor: Actor,
    input: { eventType: string; locale?: string; activate: boolean; draft: TemplateDraft },
  ): Promise<SavedVersion> {
    return this.templates.saveVersion(
      { kind: 'global', operatorId: actor.id },
      { eventType: input.eventType, locale: input.locale, draft: input.draft, activate: input.activate, createdBy: actor.id },
      {
        inTransaction: (tx, saved) =>
          appendAudit(tx, {
            ...auditBy(actor),
            tenantId: null,
            action: 'global_template.version.create',
            resourceType: 'template',
            resourceId: saved.templateId,
            after: {
              eventType: input.eventType,
              channel: input.draft.channel,
              locale: input.locale ?? 'en',
              version: saved.version,
              active: saved.active,
            },
          }),
      },
    );
  }

  /** One global template as the list shows it (the console's editor opens it by id). */
  async one(actor: Actor, templateId: string): Promise<GlobalTemplateView> {
    const [template] = (await this.list(actor, { page: 1, limit: 1, id: templateId })).templates;
    if (!template) throw new AppError('TEMPLATE_NOT_FOUND');
    return template;
  }

  /** `search`: part of the event type (case-insensitive). */
  async list(
    actor: Actor,
    page: PageQuery & { search?: string; id?: string },
  ): Promise<{ templates: GlobalTemplateView[]; total: number }> {
    return withOperator(this.database, actor.id, async (tx) => {
      const { rows, total } = await listGlobalTemplates(tx, page);
      return {
        templates: rows.map((row) => ({
          id: row.id,
          eventType: row.event_type,
          channel: row.channel,
          locale: row.locale,
          activeVersion: row.active === null ? null : Number(row.active),
          latestVersion: Number(row.latest),
          updatedAt: row.updated_at.toISOString(),
          overriddenBy: Number(row.overridden_by ?? 0),
        })),
        total,
      };
    });
  }

  async versions(actor: Actor, templateId: string, page: PageQuery): Promise<{ versions: TemplateVersionView[]; total: number }> {
    return withOperator(this.database, actor.id, async (tx) => {
      await this.find(tx, templateId);
      const { total, rows } = await globalTemplateVersions(tx, templateId, page);
      const versions = rows.map(versionView);
      return { versions, total };
    });
  }

  /** Makes `version` the active one (an older one = rollback); null deactivates the template. */
  async activate(actor: Actor, templateId: string, version: number | null): Promise<{ activeVersion: number | null }> {
    const template = await withOperator(this.database, actor.id, (tx) => this.find(tx, templateId));
    await this.templates.activate(
      { kind: 'global', operatorId: actor.id },
      { eventType: template.event_type, channel: template.channel, locale: template.locale, version },
      {
        inTransaction: (tx) =>
          appendAudit(tx, {
            ...auditBy(actor),
            tenantId: null,
            action: version === null ? 'global_template.deactivate' : 'global_template.activate',
            resourceType: 'template',
            resourceId: templateId,
            before: { activeVersion: template.active },
            after: { activeVersion: version },
          }),
      },
    );
    return { activeVersion: version };
  }

  /**
   * Renders an unsaved global template draft (the editor's live preview; see `previewDraft` in
   * template.service.ts). Nothing is stored but the audit entry, a platform one (no tenant).
   */
  async previewDraft(actor: Actor, body: DraftPreviewBody) {
    await withOperator(this.database, actor.id, (tx) =>
      appendAudit(tx, {
        tenantId: null,
        ...auditBy(actor),
        action: 'template.preview',
        resourceType: 'template',
        after: { draft: true, eventType: body.eventType ?? null, channel: body.channel },
      }),
    );
    return previewDraft(body);
  }

  private async find(tx: OperatorTx, templateId: string) {
    const row = await findGlobalTemplate(tx, templateId);
    if (!row) throw new AppError('TEMPLATE_NOT_FOUND');
    return row;
  }
}
