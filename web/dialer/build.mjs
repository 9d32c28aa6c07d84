// Builds dist/: index.html, dialer.js (one minified IIFE, no inline scripts) and dialer.css.
import { build } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';

const here = new URL('.', import.meta.url);
const dist = new URL('dist/', here);
await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });
const common = { bundle: true, minify: true, target: 'es2020', legalComments: 'none', logLevel: 'warning' };
await build({ ...common, entryPoints: [new URL('src/main.ts', here).pathname], format: 'iife', outfile: new URL('dialer.js', dist).pathname });
await build({ ...common, entryPoints: [new URL('src/dialer.css', here).pathname], outfile: new URL('dialer.css', dist).pathname });
await copyFile(new URL('static/index.html', here), new URL('index.html', dist));
