import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Controller, Get, Header, Inject, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AppError } from '../errors.js';
import { OPENAPI_DOCUMENT } from '../tokens.js';

const swaggerUiDir = join(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'), '..');
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
};

/** GET /api/docs.json (the document) and /api/docs (Swagger UI, served from this process: no CDN). */
@Controller('api')
export class DocsController {
  /** The document is assembled by the composition root (app.module.ts) from each feature's registrar. */
  constructor(@Inject(OPENAPI_DOCUMENT) private readonly document: object) {}

  @Get('docs.json')
  json() {
    return this.document;
  }

  @Get('docs')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'")
  page() {
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Orqestra API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><div id="docs"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/assets/init.js"></script></body></html>`;
  }

  @Get('docs/assets/:name')
  async asset(@Param('name') name: string, @Res({ passthrough: true }) reply: FastifyReply) {
    if (name === 'init.js') {
      void reply.header('content-type', 'text/javascript; charset=utf-8');
      return "window.ui = SwaggerUIBundle({ url: '/api/docs.json', dom_id: '#docs' });";
    }
    const type = ASSETS[name];
    if (!type) throw new AppError('NOT_FOUND');
    void reply.header('content-type', type).header('cache-control', 'public, max-age=3600');
    return readFile(join(swaggerUiDir, name));
  }
}
