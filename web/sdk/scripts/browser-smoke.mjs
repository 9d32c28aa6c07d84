// Loads the built SDK in headless Chromium the way customers do: a host page on
// http://localhost:A with <script src> (UMD) and `import ... from 'http://127.0.0.1:B/sdk/dialer-sdk.mjs'`
// (ESM), the SDK served cross-site with CORS *, and a stand-in dialer page at /dialer/ that
// answers every request. Prints the page's findings; exits non-zero when one is missing.
// Usage: npm run build && node scripts/browser-smoke.mjs [path-to-chromium]
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const chromium = process.argv[2] || '/usr/bin/chromium';

const dialerPage = `<!doctype html><script>
const parentOrigin = new URLSearchParams(location.search).get('parentOrigin');
addEventListener('message', (e) => {
  if (e.origin !== parentOrigin || e.source !== parent || !e.data || e.data.kind !== 'request') return;
  parent.postMessage({ ns: 'net2phone-dialer', v: 1, kind: 'response', id: e.data.id, ok: true,
    result: { signed_in: false, user: null } }, parentOrigin);
});
parent.postMessage({ ns: 'net2phone-dialer', v: 1, kind: 'ready' }, parentOrigin);
</script>`;

function listen(handler) {
  return new Promise((resolve) => {
    const server = createServer(handler).listen(0, '127.0.0.1', () => resolve(server));
  });
}

const gateway = await listen((req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  const file = { '/sdk/dialer-sdk.umd.js': 'dialer-sdk.umd.js', '/sdk/dialer-sdk.mjs': 'dialer-sdk.mjs' }[path];
  if (file) {
    res.writeHead(200, { 'content-type': 'text/javascript', 'access-control-allow-origin': '*' });
    res.end(readFileSync(join(dist, file)));
  } else if (path === '/dialer/') {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(dialerPage);
  } else {
    res.writeHead(404).end();
  }
});
const sdkBase = `http://127.0.0.1:${gateway.address().port}`;

const hostPage = `<!doctype html><body><div id="umd"></div><div id="esm"></div><pre id="out"></pre>
<script src="${sdkBase}/sdk/dialer-sdk.umd.js"></script>
<script>
  const log = (line) => (document.getElementById('out').textContent += line + '\\n');
  const umd = new Net2PhoneDialer({ rootHtmlElement: document.getElementById('umd') });
  log('umd-iframe ' + document.querySelector('#umd iframe').src);
  log('umd-errors ' + Object.keys(Net2PhoneDialer.errors).length);
  umd.getAuthState().then((s) => log('umd-auth ' + JSON.stringify(s)), (e) => log('umd-failed ' + e.name));
  umd.placeCall({ to: 42 }).catch((e) => log('umd-validation ' + (e instanceof Net2PhoneDialer.errors.InvalidPhoneNumberError)));
</script>
<script type="module">
  import Net2PhoneDialer, { CallState } from '${sdkBase}/sdk/dialer-sdk.mjs';
  const log = (line) => (document.getElementById('out').textContent += line + '\\n');
  const esm = new Net2PhoneDialer({ rootHtmlElement: document.getElementById('esm') });
  log('esm-iframe ' + document.querySelector('#esm iframe').src);
  log('esm-enum ' + CallState.Answered);
  esm.getAuthState().then((s) => log('esm-auth ' + JSON.stringify(s)), (e) => log('esm-failed ' + e.name));
</script>`;
const host = await new Promise((resolve) => {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(hostPage);
  }).listen(0, '127.0.0.1', () => resolve(server));
});
const hostUrl = `http://localhost:${host.address().port}/`;

let dom = '';
try {
  // Asynchronous: the two servers above run on this process's event loop.
  ({ stdout: dom } = await promisify(execFile)(chromium, [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1',
    '--virtual-time-budget=5000', '--dump-dom', hostUrl,
  ], { encoding: 'utf8', timeout: 60_000 }));
} finally {
  gateway.close();
  host.close();
}
const out = (dom.match(/<pre id="out">([\s\S]*?)<\/pre>/) || [])[1] || '';
console.log(out.replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
const parentOrigin = encodeURIComponent(hostUrl.slice(0, -1));
const expected = [
  `umd-iframe ${sdkBase}/dialer/?parentOrigin=${parentOrigin}`,
  'umd-errors 10',
  'umd-validation true',
  'umd-auth {"signed_in":false,"user":null}',
  `esm-iframe ${sdkBase}/dialer/?parentOrigin=${parentOrigin}`,
  'esm-enum answered',
  'esm-auth {"signed_in":false,"user":null}',
];
const missing = expected.filter((line) => !out.replace(/&quot;/g, '"').includes(line));
if (missing.length) {
  console.error('MISSING:\n' + missing.join('\n'));
  process.exit(1);
}
console.log('browser smoke test passed');
