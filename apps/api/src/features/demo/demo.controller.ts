import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Config } from '../../config.js';
import { CONFIG } from '../../platform/tokens.js';

const PUBLIC = fileURLToPath(new URL('../../../public/demo/', import.meta.url));
/** The official browser build of the `centrifuge` package, served from this process (no CDN). */
const CENTRIFUGE_JS = join(dirname(createRequire(import.meta.url).resolve('centrifuge')), '..', 'dist', 'centrifuge.js');

const read = (path: string) => readFileSync(path, 'utf8');
const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * GET /demo/inbox: the reference in-app inbox (bell, badge, list, mark-as-read, live arrival,
 * recovery, token refresh) built on the official `centrifuge` client. Files are read once.
 */
@Controller('demo')
export class DemoController {
  private readonly page: string;
  private readonly csp: string;
  private readonly assets = { js: read(join(PUBLIC, 'inbox.js')), css: read(join(PUBLIC, 'inbox.css')), centrifuge: read(CENTRIFUGE_JS) };

  constructor(@Inject(CONFIG) config: Config) {
    const publicUrl = new URL(config.centrifugo.publicUrl);
    const websocket = `${publicUrl.protocol === 'https:' ? 'wss:' : 'ws:'}//${publicUrl.host}`;
    this.page = read(join(PUBLIC, 'inbox.html')).replace('{{CENTRIFUGO_WS_URL}}', escapeAttribute(`${websocket}/connection/websocket`));
    // Its own scripts and styles, its own API, Centrifugo's socket; nothing else.
    this.csp = [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      `connect-src 'self' ${websocket}`,
      "img-src 'self'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; ');
  }

  @Get('inbox')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  @Header('referrer-policy', 'no-referrer')
  inbox(@Res({ passthrough: true }) reply: FastifyReply): string {
    void reply.header('content-security-policy', this.csp);
    return this.page;
  }

  @Get('inbox.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  script(): string {
    return this.assets.js;
  }

  @Get('inbox.css')
  @Header('content-type', 'text/css; charset=utf-8')
  style(): string {
    return this.assets.css;
  }

  @Get('centrifuge.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', 'public, max-age=3600')
  centrifuge(): string {
    return this.assets.centrifuge;
  }
}
