// Builds dist/: index.html, dialer.js (a minified ES module), the chunks it imports later
// (chunk-*.js: libphonenumber-js, loaded after ready) and dialer.css.
// index.html carries dialer.css and dialer.js inline: in a cold frame the two requests for them cost
// 50-150 ms on the way to ready (docs/benchmarks.md, "Time to ready"). The gateway allows the inline
// module by its SHA-256 hash in the page's Content-Security-Policy. dialer.js and dialer.css stay in
// dist/ for the size report and for pages that link them.
import { build } from 'esbuild';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';

const here = new URL('.', import.meta.url);
const dist = new URL('dist/', here);
await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });
const common = { bundle: true, minify: true, target: 'es2020', legalComments: 'none', logLevel: 'warning' };
await build({
  ...common,
  entryPoints: { dialer: new URL('src/main.ts', here).pathname },
  format: 'esm',
  splitting: true,
  chunkNames: 'chunk-[hash]',
  outdir: dist.pathname,
});
await build({ ...common, entryPoints: [new URL('src/dialer.css', here).pathname], outfile: new URL('dialer.css', dist).pathname });
const js = (await readFile(new URL('dialer.js', dist), 'utf8')).trimEnd();
const css = (await readFile(new URL('dialer.css', dist), 'utf8')).trimEnd();
// Inline text must not close its element early.
if (/<\/script/i.test(js) || /<!--/.test(js) || /<\/style/i.test(css)) throw new Error('dialer.js or dialer.css cannot be inlined');
const page = await readFile(new URL('static/index.html', here), 'utf8');
const LINK = '<link rel="stylesheet" href="dialer.css">';
const SCRIPT = '<script type="module" src="dialer.js"></script>';
if (!page.includes(LINK) || !page.includes(SCRIPT)) throw new Error('static/index.html no longer links dialer.css and dialer.js');
await writeFile(new URL('index.html', dist), page.replace(LINK, () => `<style>${css}</style>`).replace(SCRIPT, () => `<script type="module">${js}</script>`));
