-- 0004_global_templates: the platform templates global.{info,success,warning,alert,error} for
-- EMAIL, SMS and PUSH in locale 'en', one active version each (SPEC §4). They read the
-- variables {{title}} and {{message}}. Global rows are writable only by a global operator, and
-- RLS is forced on the owner too, so this migration acts as one for its own transaction.

SELECT set_config('app.current_tenant_id', '', true),
       set_config('app.actor_type', 'operator', true),
       set_config('app.actor_id', 'migration', true);

INSERT INTO templates (tenant_id, event_type, channel, locale)
SELECT NULL, 'global.' || k.kind, c.channel, 'en'
  FROM unnest(ARRAY['info', 'success', 'warning', 'alert', 'error']) WITH ORDINALITY AS k(kind, n)
 CROSS JOIN unnest(ARRAY['EMAIL', 'SMS', 'PUSH']) WITH ORDINALITY AS c(channel, m)
 ORDER BY k.n, c.m;

WITH kinds(kind, accent) AS (
  VALUES ('info', '#2563eb'), ('success', '#16a34a'), ('warning', '#d97706'),
         ('alert', '#ea580c'), ('error', '#dc2626')
),
email(html) AS (
  VALUES ($html$<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}}</title>
</head>
<body style="margin:0;padding:24px;background:#f4f5f7;font-family:Arial,Helvetica,sans-serif;color:#1f2933;">
<div style="max-width:560px;margin:0 auto;background:#ffffff;border-top:4px solid __ACCENT__;border-radius:6px;padding:24px;">
<h1 style="margin:0 0 12px;font-size:20px;line-height:1.3;">{{title}}</h1>
<p style="margin:0;font-size:15px;line-height:1.5;">{{message}}</p>
</div>
</body>
</html>
$html$)
)
INSERT INTO template_versions (
  template_id, tenant_id, version, is_active, subject, body_source, body_format, compiled_html,
  text_body, title, push_body, category, created_by
)
SELECT t.id, NULL, 1, true,
       CASE t.channel WHEN 'EMAIL' THEN '{{title}}' END,
       CASE t.channel WHEN 'EMAIL' THEN replace(e.html, '__ACCENT__', k.accent)
                      WHEN 'SMS' THEN '{{title}}: {{message}}' END,
       CASE t.channel WHEN 'EMAIL' THEN 'html' WHEN 'SMS' THEN 'text' END,
       CASE t.channel WHEN 'EMAIL' THEN replace(e.html, '__ACCENT__', k.accent) END,
       CASE t.channel WHEN 'EMAIL' THEN E'{{title}}\n\n{{message}}' END,
       CASE t.channel WHEN 'PUSH' THEN '{{title}}' END,
       CASE t.channel WHEN 'PUSH' THEN '{{message}}' END,
       CASE t.channel WHEN 'PUSH' THEN k.kind END,
       'migration'
  FROM templates t
  JOIN kinds k ON t.event_type = 'global.' || k.kind
 CROSS JOIN email e
 WHERE t.tenant_id IS NULL AND t.locale = 'en';
