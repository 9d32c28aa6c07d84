// Builds dist/: index.html, dialer.js (a minified ES module, no inline scripts), the chunks it
// imports later (chunk-*.js: libphonenumber-js, loaded after ready) and dialer.css.
import { build } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';

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
await copyFile(new URL('static/index.html', here), new URL('index.html', dist));
