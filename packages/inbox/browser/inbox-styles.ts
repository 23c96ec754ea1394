/**
 * The component's styles, adopted by its shadow root as a constructed stylesheet (so a strict
 * `style-src 'self'` CSP holds). Everything a host may want to change is a CSS custom property
 * set on `orqestra-inbox` (or any ancestor); the defaults meet WCAG AA contrast.
 */
export const inboxStyles = `
:host {
  --_accent: var(--orq-inbox-accent, #1d4ed8);
  --_accent-fg: var(--orq-inbox-accent-contrast, #ffffff);
  --_badge: var(--orq-inbox-badge, #b91c1c);
  --_badge-fg: var(--orq-inbox-badge-contrast, #ffffff);
  --_bg: var(--orq-inbox-background, #ffffff);
  --_fg: var(--orq-inbox-foreground, #111827);
  --_muted: var(--orq-inbox-muted, #4b5563);
  --_border: var(--orq-inbox-border, #d1d5db);
  --_unread-bg: var(--orq-inbox-unread-background, #eff6ff);
  --_radius: var(--orq-inbox-radius, 8px);
  --_width: var(--orq-inbox-width, 360px);
  --_focus: var(--orq-inbox-focus, #1d4ed8);
  display: inline-block;
  position: relative;
  font: var(--orq-inbox-font, 14px/1.4 system-ui, sans-serif);
  color: var(--_fg);
}
[hidden] { display: none !important; }
button { font: inherit; color: inherit; cursor: pointer; }
button:focus-visible { outline: 2px solid var(--_focus); outline-offset: 2px; }
.bell { position: relative; display: inline-flex; align-items: center; justify-content: center; width: 40px; height: 40px; border: 1px solid var(--_border); border-radius: 50%; background: var(--_bg); color: var(--orq-inbox-bell-color, var(--_fg)); }
.badge { position: absolute; top: -4px; right: -4px; min-width: 18px; height: 18px; padding: 0 5px; box-sizing: border-box; border-radius: 9px; background: var(--_badge); color: var(--_badge-fg); font-size: 11px; font-weight: 700; line-height: 18px; text-align: center; }
.panel { position: absolute; right: 0; top: calc(100% + 8px); z-index: var(--orq-inbox-z-index, 1000); width: var(--_width); max-height: var(--orq-inbox-max-height, 480px); overflow: auto; background: var(--_bg); color: var(--_fg); border: 1px solid var(--_border); border-radius: var(--_radius); box-shadow: 0 10px 30px rgb(0 0 0 / 15%); }
.head { display: flex; align-items: center; justify-content: space-between; gap: 8px; padding: 10px 12px; border-bottom: 1px solid var(--_border); }
.head h2 { margin: 0; font-size: 1em; }
.link { border: 0; background: none; color: var(--_accent); padding: 4px; text-decoration: underline; }
.link:disabled { color: var(--_muted); cursor: default; text-decoration: none; }
ul { list-style: none; margin: 0; padding: 0; }
li + li { border-top: 1px solid var(--_border); }
.entry { display: block; width: 100%; text-align: left; border: 0; background: var(--_bg); padding: 10px 12px 10px 24px; position: relative; }
li[data-read='false'] .entry { background: var(--_unread-bg); }
li[data-read='false'] .entry::before { content: ''; position: absolute; left: 9px; top: 16px; width: 8px; height: 8px; border-radius: 50%; background: var(--_accent); }
.title { display: block; font-weight: 600; }
.body { display: block; }
.meta { display: block; color: var(--_muted); font-size: 0.85em; }
.empty { margin: 0; padding: 16px 12px; color: var(--_muted); }
.more { display: block; width: 100%; border: 0; border-top: 1px solid var(--_border); background: var(--_bg); color: var(--_accent); padding: 8px; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
`;
