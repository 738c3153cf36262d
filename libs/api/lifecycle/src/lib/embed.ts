import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Controller, Get, Header, Module } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ServiceKitConfig } from '@servicekit/api/config';
import type { EmbedSettingsResponse } from '@servicekit/contracts';

/**
 * `GET /api/embed`: what the embed page must know before it talks to its host page: the EMBED_ORIGINS list
 * (already public in the embed page's frame-ancestors policy) and whether context tokens are verified.
 */
@ApiTags('embedding')
@Controller('embed')
export class EmbedController {
  constructor(private readonly config: ServiceKitConfig) {}

  @Get()
  @Header('Cache-Control', 'public, max-age=60')
  @ApiOperation({ summary: 'The sites allowed to frame the embed page (EMBED_ORIGINS), for the embed page itself' })
  @ApiOkResponse({
    schema: {
      type: 'object',
      properties: {
        origins: { type: 'array', items: { type: 'string', example: 'https://shop.example' } },
        acceptsContext: { type: 'boolean' },
      },
    },
  })
  settings(): EmbedSettingsResponse {
    return { origins: [...this.config.embed.origins], acceptsContext: this.config.embed.contextSecret !== null };
  }
}

/** The embedding settings endpoint. Expects the config from the composition root. */
@Module({ controllers: [EmbedController] })
export class EmbedModule {}

/** Host pages always load the same URL: browsers may keep it 5 minutes, then revalidate (ETag). */
const LOADER_CACHE = 'public, max-age=300, stale-while-revalidate=86400';

interface Loaded {
  plain: Buffer;
  gzip: Buffer | null;
  etag: string;
}

/**
 * Serves the widget loader (`/embed.js`, built by the `embed` project) to any site: a script other
 * origins may load (`Cross-Origin-Resource-Policy: cross-origin`, CORS `*` for `crossorigin`/SRI use),
 * gzip when the browser takes it, cached briefly and revalidated by ETag. Read once, on first use.
 */
export function embedLoader(file: string): (req: IncomingMessage, res: ServerResponse) => void {
  let loaded: Loaded | null = null;
  const load = (): Loaded | null => {
    if (loaded) return loaded;
    try {
      const plain = readFileSync(file);
      let gzip: Buffer | null = null;
      try {
        gzip = readFileSync(`${file}.gz`);
      } catch {
        // served uncompressed then
      }
      loaded = { plain, gzip, etag: `"${createHash('sha256').update(plain).digest('base64url').slice(0, 27)}"` };
      return loaded;
    } catch {
      return null;
    }
  };
  return (req, res) => {
    const loader = load();
    if (!loader) {
      res.statusCode = 404;
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.end(
        JSON.stringify({
          statusCode: 404,
          error: 'Not Found',
          code: 'not_found',
          message: 'The widget loader is not built on this server: build it with "npx nx build embed" (npm start does).',
        }),
      );
      return;
    }
    const gzip = loader.gzip !== null && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
    res.setHeader('Cache-Control', LOADER_CACHE);
    res.setHeader('ETag', loader.etag);
    res.setHeader('Vary', 'Accept-Encoding');
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    if (req.headers['if-none-match'] === loader.etag) {
      res.statusCode = 304;
      res.end();
      return;
    }
    const body = gzip && loader.gzip ? loader.gzip : loader.plain;
    if (gzip) res.setHeader('Content-Encoding', 'gzip');
    res.setHeader('Content-Length', String(body.length));
    res.statusCode = 200;
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
