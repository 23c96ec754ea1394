import type { Channel } from '@orqestra/contracts';
import type { TenantTx } from '@orqestra/db';
import type { RenderableTemplate } from './engine/template.types.js';

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
      't.tenant_id', 't.channel', 't.locale', 'v.id', 'v.subject', 'v.body_format', 'v.body_source', 'v.compiled_html',
      'v.text_body', 'v.title', 'v.push_body', 'v.category', 'v.data',
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
