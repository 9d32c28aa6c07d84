// Builds dist/: dialer-sdk.umd.js (minified UMD), dialer-sdk.mjs (ESM), dialer-sdk.cjs (CommonJS)
// and index.d.ts. esbuild compiles and bundles the TypeScript (protocol package included);
// Rollup wraps the result, since esbuild cannot emit a true UMD.
// `node scripts/build.mjs --types-only` emits only the typings.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { rollup } from 'rollup';
import terser from '@rollup/plugin-terser';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const banner = `/*! ${pkg.name} ${pkg.version} | ${pkg.license} */`;

async function compile(entry) {
  const result = await build({
    entryPoints: [join(root, 'src', entry)],
    bundle: true,
    format: 'esm',
    target: 'es2018',
    platform: 'browser',
    sourcemap: 'external',
    outfile: join(dist, 'bundle.js'),
    write: false,
    legalComments: 'none',
    // The ESM entry reads import.meta.url; the script entry does not use import.meta at all.
    supported: { 'import-meta': true },
  });
  const code = result.outputFiles.find((f) => f.path.endsWith('.js')).text;
  const map = result.outputFiles.find((f) => f.path.endsWith('.map')).text;
  return { code, map };
}

/** A Rollup input that is esbuild's output, so source maps chain back to the TypeScript. */
function fromMemory(compiled) {
  return {
    name: 'from-memory',
    resolveId: (id) => (id === 'entry' ? id : null),
    load: (id) => (id === 'entry' ? compiled : null),
  };
}

const minify = terser({ format: { comments: /^!/ }, compress: { passes: 2 } });

async function bundle(entry, outputs) {
  const bundle = await rollup({ input: 'entry', plugins: [fromMemory(await compile(entry))] });
  for (const output of outputs) await bundle.write({ sourcemap: true, banner, ...output });
  await bundle.close();
}

function emitTypes() {
  const tsc = join(root, '..', 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  // Keep only the declarations index.d.ts reaches; the internal ones name the private protocol package.
  const reached = new Set();
  const visit = (file) => {
    if (reached.has(file)) return;
    reached.add(file);
    const text = readFileSync(join(dist, file), 'utf8');
    if (text.includes('@opendialer/protocol')) throw new Error(`${file} exposes @opendialer/protocol in the public typings`);
    for (const [, spec] of text.matchAll(/from '\.\/([\w-]+)(?:\.js)?'/g)) visit(`${spec}.d.ts`);
  };
  visit('index.d.ts');
  for (const file of readdirSync(dist)) if (file.endsWith('.d.ts') && !reached.has(file)) unlinkSync(join(dist, file));
  // The same typings as CommonJS declarations (.d.cts) for `require`, since the package is "type": "module".
  for (const file of reached) {
    const text = readFileSync(join(dist, file), 'utf8').replace(/from '\.\/([\w-]+)'/g, "from './$1.cjs'");
    writeFileSync(join(dist, file.replace(/\.d\.ts$/, '.d.cts')), text);
  }
}

const typesOnly = process.argv.includes('--types-only');
if (!typesOnly) rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
emitTypes();
if (!typesOnly) {
  await bundle('entry-script.ts', [
    {
      file: join(dist, 'dialer-sdk.umd.js'),
      format: 'umd',
      name: 'Net2PhoneDialer',
      exports: 'default',
      plugins: [minify],
    },
    { file: join(dist, 'dialer-sdk.cjs'), format: 'cjs', exports: 'default' },
  ]);
  await bundle('entry-module.ts', [{ file: join(dist, 'dialer-sdk.mjs'), format: 'es', plugins: [minify] }]);
}
