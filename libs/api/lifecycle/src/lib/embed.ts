import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { Controller, Get, Header, Module } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ServiceKitConfig } from '@servicekit/api/config';
import { EMBED_BRAND_SLOT, type EmbedBrand, type EmbedSettingsResponse } from '@servicekit/contracts';

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
  gzip: Buffer;
  etag: string;
}

/** The slot as the bundler quoted it: whichever quote it chose. */
const SLOT_LITERAL = new RegExp(`(["'\`])${EMBED_BRAND_SLOT}\\1`, 'g');

/** The built loader with the brand written into its slot (a JS string literal holding JSON). */
export function brandedLoader(code: string, brand: EmbedBrand): string {
  const literal = JSON.stringify(JSON.stringify({ name: brand.name, color: brand.color }));
  return code.replace(SLOT_LITERAL, () => literal);
}

/**
 * Serves the widget loader (`/embed.js`, built by the `embed` project) to any site: a script other
 * origins may load (`Cross-Origin-Resource-Policy: cross-origin`, CORS `*` for `crossorigin`/SRI use),
 * gzip when the browser takes it, cached briefly and revalidated by ETag. Read once, on first use, with the
 * brand (BRAND_NAME, BRAND_COLOR) written in, and compressed then.
 */
export function embedLoader(file: string, brand: EmbedBrand): (req: IncomingMessage, res: ServerResponse) => void {
  let loaded: Loaded | null = null;
  const load = (): Loaded | null => {
    if (loaded) return loaded;
    try {
      const plain = Buffer.from(brandedLoader(readFileSync(file, 'utf8'), brand));
      loaded = {
        plain,
        gzip: gzipSync(plain, { level: 9 }),
        etag: `"${createHash('sha256').update(plain).digest('base64url').slice(0, 27)}"`,
      };
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
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
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
    const body = gzip ? loader.gzip : loader.plain;
    if (gzip) res.setHeader('Content-Encoding', 'gzip');
    res.setHeader('Content-Length', String(body.length));
    res.statusCode = 200;
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
