import { createServer, type Server } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
};

/** A running static server over a built VitePress site. */
export interface StaticServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

function isFile(p: string): boolean {
  return existsSync(p) && statSync(p).isFile();
}

/**
 * Resolves a URL path the way `vitepress preview` (sirv) does, the host the README tells people to use:
 * the file itself, then `<path>.html`, then `<path>/index.html`, a trailing slash dropped first. So
 * `/guide/` -> `guide.html` when there is one, else `guide/index.html`; `/demo` -> `demo.html`. A page whose
 * folder shares its name with a sibling page (`a/index.md` beside `a/index/index.md`) is then served the
 * sibling, as a visitor would be. Returns `null` for anything outside `root`.
 */
export function resolvePath(root: string, urlPath: string): string | null {
  let path: string;
  try {
    path = decodeURIComponent(urlPath.split('?')[0].split('#')[0]);
  } catch {
    return null;
  }
  const rel = normalize(path).replace(/^([/\\])+/, '');
  if (rel.startsWith('..')) return null;
  const base = join(root, rel);
  if (!(base + sep).startsWith(root + sep) && base !== root) return null;
  const bare = base.replace(/[\\/]+$/, '');
  const candidates = rel === '' || rel === '.' ? [join(root, 'index.html')] : path.endsWith('/') ? [`${bare}.html`, join(bare, 'index.html')] : [base, `${base}.html`, join(base, 'index.html')];
  return candidates.find(isFile) ?? null;
}

/** Serves `root` on 127.0.0.1 on a free port (port 0), with `404.html` for unknown paths. */
export async function serveStatic(root: string): Promise<StaticServer> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    const file = resolvePath(root, req.url ?? '/');
    const status = file ? 200 : 404;
    const body = file ?? join(root, '404.html');
    res.writeHead(status, { 'content-type': TYPES[extname(body)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    if (req.method === 'HEAD' || !isFile(body)) {
      res.end();
      return;
    }
    createReadStream(body).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
