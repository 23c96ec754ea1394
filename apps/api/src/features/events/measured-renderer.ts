import { TemplateRenderer } from '../templates/engine/template.renderer.js';
import type { Histogram } from 'prom-client';

/** The template renderer, timing each render into a histogram (orqestra_template_render_duration_seconds). */
export class MeasuredRenderer extends TemplateRenderer {
  constructor(private readonly histogram: Histogram) {
    super();
  }

  override render(...args: Parameters<TemplateRenderer['render']>): ReturnType<TemplateRenderer['render']> {
    const started = process.hrtime.bigint();
    try {
      return super.render(...args);
    } finally {
      this.histogram.observe(Number(process.hrtime.bigint() - started) / 1e9);
    }
  }
}
