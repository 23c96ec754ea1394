// The template engine's public surface (pure: no database, no HTTP). See README.md.
export {
  compileTemplate,
  templateSources,
  type CompileResult,
  type CompileTemplateOptions,
  type SourceField,
} from './template.compiler.js';
export { TemplateRenderer, type RenderRequest, type RenderResult, type RendererOptions } from './template.renderer.js';
export { previewTemplate, type PreviewRequest, type PreviewResult } from './template.preview.js';
export { smsReport, gsmSeptets, type SmsReport, type SmsEncoding } from './sms-segments.js';
export { localeChain, pickLocale, canonicalLocale, FALLBACK_LOCALE } from './locale-chain.js';
export { BUILT_IN_HELPERS } from './template.helpers.js';
export { TEXT_ELEMENTS } from './mjml-placement.js';
export * from './template.types.js';
