// The host pages' web server: serves e2e/fixtures on every port in FIXTURE_PORTS (localhost),
// replacing __GATEWAY_URL__ in .html files, and plays the host site's backend for the getToken
// flow: POST /api/token/<username> mints a sign-in token with the admin API. The admin key never
// reaches a browser.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');
const gatewayUrl = process.env.GATEWAY_URL;
const adminKey = process.env.GATEWAY_ADMIN_KEY;
const ports = (process.env.FIXTURE_PORTS || '').split(',').filter(Boolean).map(Number);

const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

async function mintToken(res, username) {
  const upstream = await fetch(`${gatewayUrl}/api/v1/users/${encodeURIComponent(username)}/tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}` },
  });
  const body = await upstream.json().catch(() => ({}));
  res.writeHead(upstream.ok ? 200 : 502, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(upstream.ok ? { token: body.token } : { error: `admin API answered ${upstream.status}` }));
}

async function handle(req, res) {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname === '/healthz') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
    return;
  }
  const token = url.pathname.match(/^\/api\/token\/([A-Za-z0-9_.-]+)$/);
  if (token && req.method === 'POST') {
    await mintToken(res, token[1]);
    return;
  }
  const file = path.resolve(root, `.${url.pathname === '/' ? '/index.html' : url.pathname}`);
  if (!file.startsWith(root + path.sep)) {
    res.writeHead(403).end();
    return;
  }
  try {
    let body = await readFile(file);
    const ext = path.extname(file);
    if (ext === '.html') body = Buffer.from(body.toString('utf8').replaceAll('__GATEWAY_URL__', gatewayUrl));
    res.writeHead(200, { 'content-type': types[ext] || 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(body);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  }
}

for (const port of ports) {
  createServer((req, res) => {
    handle(req, res).catch((e) => {
      res.writeHead(500);
      res.end(String(e));
    });
  }).listen(port, '127.0.0.1');
}
process.on('SIGTERM', () => process.exit(0));
