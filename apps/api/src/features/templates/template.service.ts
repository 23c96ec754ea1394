import type { Channel } from '@orqestra/contracts';
import { withOperator, withTenant, type Database } from '@orqestra/db';
import { AppError } from '../../platform/errors.js';
import { canonicalLocale, FALLBACK_LOCALE } from './engine/locale-chain.js';
import { compileTemplate } from './engine/template.compiler.js';
import type { SmsReport } from './engine/sms-segments.js';
import { previewTemplate } from './engine/template.preview.js';
import type { TemplateDraft, TemplateWarning } from './engine/template.types.js';
import {
  findOrCreateTemplate,
  findTemplateId,
  insertTemplateVersion,
  latestVersionNumber,
  setActiveVersion,
  versionExists,
  type WriteTx,
} from './template.repository.js';
import type { DraftPreviewBody } from './template.schemas.js';

/** Who saves: a tenant (its admin, or an operator acting for it), or an operator for the platform's global templates. */
export type TemplateOwner =
  { kind: 'tenant'; tenantId: string; actor: { type: 'tenant_admin' | 'operator'; id: string } } | { kind: 'global'; operatorId: string };

export interface SavedVersion {
  templateId: string;
  versionId: string;
  version: number;
  active: boolean;
  warnings: TemplateWarning[];
  sms: SmsReport | null;
}

export type { WriteTx };

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
        details: compiled.errors.map((e) => ({
          path: e.field ?? 'template',
          message: e.message,
          ...(e.line !== null ? { line: e.line } : {}),
          ...(e.column !== null ? { column: e.column } : {}),
        })),
      });
    }
    const v = compiled.version;
    return this.inContext(owner, async (tx) => {
      const tenantId = owner.kind === 'tenant' ? owner.tenantId : null;
      const template = await findOrCreateTemplate(tx, tenantId, input.eventType, v.channel, locale);
      const version = (await latestVersionNumber(tx, template)) + 1;
      const versionId = await insertTemplateVersion(tx, {
        templateId: template,
        tenantId,
        version,
        subject: v.subject,
        bodySource: v.bodySource,
        bodyFormat: v.bodyFormat,
        compiledHtml: v.compiledHtml,
        textBody: v.textBody,
        title: v.title,
        pushBody: v.pushBody,
        category: v.category,
        data: v.data,
        createdBy: input.createdBy,
      });
      if (input.activate) await activateVersion(tx, template, version);
      const saved = {
        templateId: template,
        versionId,
        version,
        active: input.activate === true,
        warnings: compiled.warnings,
        sms: compiled.sms,
      };
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
      const template = await findTemplateId(tx, tenantId, input.eventType, input.channel, locale);
      if (!template) throw new AppError('TEMPLATE_NOT_FOUND');
      await activateVersion(tx, template, input.version);
      await hooks.inTransaction?.(tx, template);
    });
  }

  private inContext<T>(owner: TemplateOwner, fn: (tx: WriteTx) => Promise<T>): Promise<T> {
    if (owner.kind === 'global') return withOperator(this.database, owner.operatorId, fn);
    if (owner.actor.type === 'operator') return withOperator(this.database, owner.actor.id, fn, { tenantId: owner.tenantId });
    return withTenant(this.database, { tenantId: owner.tenantId, actorType: 'tenant_admin', actorId: owner.actor.id }, fn);
  }
}

/** Makes `version` the template's one active version (an older one = rollback); null deactivates it. */
export async function activateVersion(tx: WriteTx, templateId: string, version: number | null): Promise<void> {
  if (version !== null && !(await versionExists(tx, templateId, version))) {
    throw new AppError('TEMPLATE_NOT_FOUND', { message: `Version ${version} does not exist` });
  }
  await setActiveVersion(tx, templateId, version);
}

const RENDER_ONLY: ReadonlySet<string> = new Set(['TEMPLATE_RENDER_TIMEOUT', 'TEMPLATE_OUTPUT_TOO_LARGE']);

/**
 * Renders a draft that is not saved (the editors' live preview): the same checks as a save, so a
 * draft a save would refuse comes back with the same coded errors, field, line and column (as
 * `ok: false`, not as an HTTP error). MJML validation problems come back as MJML_INVALID warnings
 * with their place while the HTML is still produced; `savable` says whether a save would take the
 * draft as it is. Pure: the callers write the audit entry.
 */
export function previewDraft(body: DraftPreviewBody) {
  const { variables, payload, locale, eventType: _eventType, ...draft } = body;
  const result = previewTemplate({ draft, sample: variables, payload, locale: locale ?? null });
  // Render-time limits (time, output size) do not stop a save; everything else does.
  if (!result.ok)
    return {
      ok: false as const,
      savable: result.errors.every((e) => RENDER_ONLY.has(e.code)),
      errors: result.errors,
      warnings: result.warnings,
    };
  const savable = !result.warnings.some((w) => w.code === 'MJML_INVALID');
  return { ok: true as const, savable, content: result.content, warnings: result.warnings, sms: result.sms, durationMs: result.durationMs };
}
