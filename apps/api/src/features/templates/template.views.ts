/** A stored template version as both realms' version lists show it: the full source, never compiled output. */
export interface TemplateVersionView {
  id: string;
  version: number;
  active: boolean;
  subject: string | null;
  bodyFormat: string | null;
  body: string | null;
  textBody: string | null;
  title: string | null;
  pushBody: string | null;
  category: string | null;
  data: Record<string, unknown> | null;
  createdBy: string | null;
  createdAt: string;
}

export function versionView(row: {
  id: string;
  version: number;
  is_active: boolean;
  created_at: Date;
  created_by: string | null;
  subject: string | null;
  body_format: string | null;
  body_source: string | null;
  text_body: string | null;
  title: string | null;
  push_body: string | null;
  category: string | null;
  data: unknown;
}): TemplateVersionView {
  return {
    id: row.id,
    version: row.version,
    active: row.is_active,
    subject: row.subject,
    bodyFormat: row.body_format,
    body: row.body_source,
    textBody: row.text_body,
    title: row.title,
    pushBody: row.push_body,
    category: row.category,
    data: (row.data as Record<string, unknown> | null) ?? null,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
  };
}
