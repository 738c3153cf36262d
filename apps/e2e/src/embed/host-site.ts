import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A company's own website, on an origin of its own (another port), with the widget's one script tag. Its
 * inline script records every widget event in `window.widgetEvents`, in order.
 */
export interface HostSite {
  readonly port: number;
  /** The page on 127.0.0.1 (the origin EMBED_ORIGINS lists) or on localhost (a foreign origin). */
  pageUrl(options?: { host?: '127.0.0.1' | 'localhost'; context?: string }): string;
  /** A page of this site that frames `path` of the API server directly. */
  framingUrl(path: string): string;
  stop(): Promise<void>;
}

const EVENTS = ['opened', 'queued', 'call-started', 'call-ended', 'closed'];

function page(apiUrl: string, context: string | null): string {
  const contextAttribute = context ? ` data-context="${context.replace(/[^\w.-]/g, '')}"` : '';
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Example Shop</title>
    <style>
      body { margin: 0; font: 16px/1.5 Georgia, serif; color: #222; background: #fbf8f3; }
      header { padding: 16px 24px; background: #5b2a86; color: #fff; }
      main { max-width: 720px; margin: 0 auto; padding: 24px; }
      button { border: 2px solid #5b2a86; }
      div { margin: 40px; }
    </style>
  </head>
  <body>
    <header><h1>Example Shop</h1></header>
    <main>
      <h2>Your order</h2>
      <p>Order 4711: one router, shipped yesterday. Something wrong with it? Our team can help you face to face.</p>
      <p><a href="#faq">Frequently asked questions</a></p>
    </main>
    <script>
      window.widgetEvents = [];
      window.addEventListener('servicekit:ready', () => {
        for (const name of ${JSON.stringify(EVENTS)}) window.ServiceKit.on(name, (event) => window.widgetEvents.push(event));
      });
    </script>
    <script src="${apiUrl}/embed.js" data-label="Talk to a Representative" data-color="#5b2a86"${contextAttribute} async></script>
  </body>
</html>`;
}

/** A page that frames the rep app directly: the browser must refuse it. */
function framingPage(src: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8" /><title>Framing</title></head>
<body><iframe title="framed" src="${src}" width="600" height="400"></iframe></body></html>`;
}

/** `apiUrl` is asked per request: the API starts after the site, once EMBED_ORIGINS can name the site's port. */
export async function startHostSite(apiUrl: () => string): Promise<HostSite> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://host.invalid');
    const frame = url.searchParams.get('frame');
    const body = url.pathname === '/frame' && frame ? framingPage(`${apiUrl()}${frame}`) : page(apiUrl(), url.searchParams.get('context'));
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    pageUrl: ({ host = '127.0.0.1', context } = {}) => {
      const url = new URL(`http://${host}:${port}/shop`);
      if (context) url.searchParams.set('context', context);
      return url.href;
    },
    framingUrl: (path) => `http://127.0.0.1:${port}/frame?frame=${encodeURIComponent(path)}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
