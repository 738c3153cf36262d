import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadServiceKitConfig } from '@servicekit/api/config';
import { EMBED_BRAND_SLOT, type EmbedBrand } from '@servicekit/contracts';
import { brandedLoader, EmbedController, embedLoader } from './embed';

describe('embedLoader', () => {
  const dir = mkdtempSync(join(tmpdir(), 'embed-loader-'));
  const file = join(dir, 'embed.js');
  const code = '(()=>{window.ServiceKit={}})();';
  writeFileSync(file, code);
  const servers: Server[] = [];
  const brand: EmbedBrand = { name: 'Service Kit', color: null };

  async function serve(path: string, served: EmbedBrand = brand): Promise<string> {
    const server = createServer(embedLoader(path, served));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/embed.js`;
  }

  afterAll(async () => {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    rmSync(dir, { recursive: true, force: true });
  });

  it('should serve a script any site may load, gzip when accepted, cached briefly and revalidated', async () => {
    const url = await serve(file);
    const plain = await fetch(url, { headers: { 'Accept-Encoding': 'identity' } });
    expect(plain.status).toBe(200);
    expect(await plain.text()).toBe(code);
    const headers: Record<string, string> = {};
    plain.headers.forEach((value, name) => (headers[name] = value));
    expect(headers).toMatchObject({
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=300, stale-while-revalidate=86400',
      'access-control-allow-origin': '*',
      'cross-origin-resource-policy': 'cross-origin',
      'content-length': String(code.length),
      vary: 'Accept-Encoding',
    });
    expect(plain.headers.get('content-encoding')).toBeNull();

    const zipped = await fetch(url, { headers: { 'Accept-Encoding': 'gzip, deflate, br' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(await zipped.text()).toBe(code);

    const again = await fetch(url, { headers: { 'If-None-Match': plain.headers.get('etag') ?? '' } });
    expect(again.status).toBe(304);
  });

  it('should write the brand into the built loader’s slot, gzip included, and give it its own ETag', async () => {
    const built = join(dir, 'branded.js');
    writeFileSync(built, `(()=>{const b="${EMBED_BRAND_SLOT}";window.b=b})();`);
    const plainUrl = await serve(built);
    const acmeUrl = await serve(built, { name: 'Acme "Help" </script>', color: '#0b5fff' });
    const acme = await fetch(acmeUrl, { headers: { 'Accept-Encoding': 'gzip' } });
    const text = await acme.text();
    expect(text).not.toContain(EMBED_BRAND_SLOT);
    // The script still runs, and holds the brand as JSON in a string.
    const sandbox: { b?: string } = {};
    new Function('window', text)(sandbox);
    expect(JSON.parse(sandbox.b ?? '')).toEqual({ name: 'Acme "Help" </script>', color: '#0b5fff' });
    const plain = await fetch(plainUrl);
    expect(plain.headers.get('etag')).not.toBe(acme.headers.get('etag'));
  });

  it('should replace the slot whichever quote the bundler used, and leave other code alone', () => {
    const brandJson = JSON.stringify(JSON.stringify({ name: 'A', color: null }));
    for (const quote of ['"', "'", '`']) {
      expect(brandedLoader(`x=${quote}${EMBED_BRAND_SLOT}${quote};y="${EMBED_BRAND_SLOT}x"`, { name: 'A', color: null })).toBe(
        `x=${brandJson};y="${EMBED_BRAND_SLOT}x"`,
      );
    }
  });

  it('should say how to build the loader when it is missing', async () => {
    const reply = await fetch(await serve(join(dir, 'nope.js')));
    expect(reply.status).toBe(404);
    expect(await reply.json()).toMatchObject({ code: 'not_found', message: expect.stringContaining('nx build embed') });
  });
});

describe('EmbedController', () => {
  it('should tell the embed page the allowed origins and whether context tokens are verified, nothing else', () => {
    const config = loadServiceKitConfig({ EMBED_ORIGINS: 'https://shop.example', EMBED_CONTEXT_SECRET: 'c'.repeat(32) });
    expect(new EmbedController(config).settings()).toEqual({ origins: ['https://shop.example'], acceptsContext: true });
    expect(new EmbedController(loadServiceKitConfig({})).settings()).toEqual({ origins: [], acceptsContext: false });
  });
});
