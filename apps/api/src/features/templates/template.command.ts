import { readFile } from 'node:fs/promises';
import { CHANNELS, type Channel } from '@orqestra/contracts';
import { isUuid } from '@orqestra/db';
import { parseOptions, UsageError, withCliDatabase, type Command } from '../../cli/command.js';
import { TemplateService, type TemplateOwner } from './template.service.js';
import type { TemplateDraft } from './engine/template.types.js';

function owner(tenant: string): TemplateOwner {
  if (tenant === 'global') return { kind: 'global', operatorId: 'cli' };
  if (!isUuid(tenant)) throw new UsageError('--tenant must be a tenant id or "global"');
  return { kind: 'tenant', tenantId: tenant, actor: { type: 'operator', id: 'cli' } };
}

function channel(value: string | undefined): Channel {
  if (!value || !(CHANNELS as readonly string[]).includes(value)) throw new UsageError(`--channel must be one of ${CHANNELS.join(', ')}`);
  return value as Channel;
}

/**
 * The draft from a file: EMAIL — MJML (when it starts with <mjml>) or HTML; SMS — the text;
 * PUSH — JSON {"title", "body", "category"?, "data"?}.
 */
export function draftFromFile(ch: Channel, text: string, subject: string | undefined): TemplateDraft {
  if (ch === 'EMAIL') {
    if (subject === undefined) throw new UsageError('--subject is required for EMAIL');
    return { channel: ch, subject, bodyFormat: /^\s*<mjml[\s>]/i.test(text) ? 'mjml' : 'html', body: text };
  }
  if (ch === 'SMS') return { channel: ch, bodyFormat: 'text', body: text.replace(/\n$/, '') };
  let json: { title?: string; body?: string; category?: string; data?: Record<string, unknown> };
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    throw new UsageError('a PUSH template file is JSON: {"title": "...", "body": "...", "category": "info", "data": {}}');
  }
  return { channel: ch, title: json.title, pushBody: json.body, category: json.category, data: json.data };
}

export const templateSetCommand: Command = {
  path: ['template', 'set'],
  usage: 'template set --tenant <id|global> --event <type> --channel <C> --file <f> [--subject <s>] [--locale <l>]',
  summary: 'save a new template version from a file and make it the active one',
  async run(config, args) {
    const o = parseOptions(
      args,
      {
        tenant: { type: 'string' },
        event: { type: 'string' },
        channel: { type: 'string' },
        file: { type: 'string' },
        subject: { type: 'string' },
        locale: { type: 'string' },
      },
      ['tenant', 'event', 'channel', 'file'],
    );
    const ch = channel(o.channel);
    const draft = draftFromFile(ch, await readFile(o.file!, 'utf8'), o.subject);
    await withCliDatabase(config, async (database) => {
      const saved = await new TemplateService(database).saveVersion(owner(o.tenant!), {
        eventType: o.event!,
        locale: o.locale,
        draft,
        activate: true,
        createdBy: 'cli',
      });
      process.stdout.write(`saved ${o.event} ${ch} ${o.locale ?? 'en'} version ${saved.version} (active)\n`);
      for (const w of saved.warnings) process.stdout.write(`  warning: ${w.message}\n`);
      if (saved.sms)
        process.stdout.write(
          `  SMS: ${saved.sms.characters} characters, ${saved.sms.encoding}, ${saved.sms.segments} segment(s) before variables\n`,
        );
    });
  },
};

export const templateActivateCommand: Command = {
  path: ['template', 'activate'],
  usage: 'template activate --tenant <id|global> --event <type> --channel <C> --version <n|none> [--locale <l>]',
  summary: 'make an earlier version active (rollback), or none (deactivate)',
  async run(config, args) {
    const o = parseOptions(
      args,
      {
        tenant: { type: 'string' },
        event: { type: 'string' },
        channel: { type: 'string' },
        version: { type: 'string' },
        locale: { type: 'string' },
      },
      ['tenant', 'event', 'channel', 'version'],
    );
    const version = o.version === 'none' ? null : Number(o.version);
    if (version !== null && (!Number.isInteger(version) || version < 1))
      throw new UsageError('--version must be a version number or "none"');
    await withCliDatabase(config, async (database) => {
      await new TemplateService(database).activate(owner(o.tenant!), {
        eventType: o.event!,
        channel: channel(o.channel),
        locale: o.locale,
        version,
      });
      process.stdout.write(
        version === null ? `deactivated ${o.event} ${o.channel}\n` : `activated version ${version} of ${o.event} ${o.channel}\n`,
      );
    });
  },
};
