// Builds dist/ and checks the shipped files: size budget, UMD in all three module systems,
// CommonJS, ESM and the typings.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import vm from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..');
const dist = (file: string) => join(root, 'dist', file);
// 5 KiB until the audio devices, callQuality and AudioOutputUnsupportedError (about 0.3 KiB with
// their boundary checks); the UMD was 5319 B gzipped with them.
const GZIP_BUDGET_BYTES = 5632;

beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'pipe' });
}, 60_000);

type DialerClass = (new (options: unknown) => unknown) & Record<string, any>;

function runUmd(globals: Record<string, unknown>) {
  const context = vm.createContext({ ...globals });
  vm.runInContext(readFileSync(dist('dialer-sdk.umd.js'), 'utf8'), context);
  return context;
}

function expectTheClass(value: DialerClass) {
  expect(typeof value).toBe('function');
  for (const method of ['placeCall', 'hangUp', 'answer', 'reject', 'mute', 'hold', 'sendDtmf', 'transfer', 'getAudioDevices', 'setAudioDevices']) expect(typeof value.prototype[method]).toBe('function');
  expect(Object.keys(value.errors)).toHaveLength(15);
  expect(value.errors.CallNotFoundError).toBe(value.CallNotFoundError);
  expect(value.CallState.Disconnected).toBe('disconnected');
  expect(value.default).toBe(value);
}

describe('dist/dialer-sdk.umd.js', () => {
  it(`is under ${GZIP_BUDGET_BYTES} bytes minified and gzipped`, () => {
    const size = gzipSync(readFileSync(dist('dialer-sdk.umd.js')), { level: 9 }).length;
    expect(size).toBeGreaterThan(1000);
    expect(size).toBeLessThanOrEqual(GZIP_BUDGET_BYTES);
  });

  it('leaves out the protocol parts the SDK does not use', () => {
    const code = readFileSync(dist('dialer-sdk.umd.js'), 'utf8');
    expect(code).not.toMatch(/signInWithToken|bad_request|invalid_credentials/);
  });

  it('defines the global Net2PhoneDialer as the class itself in a plain <script>', () => {
    const context = runUmd({});
    expectTheClass(context.Net2PhoneDialer);
    const error = new context.Net2PhoneDialer.errors.InvalidPhoneNumberError('x');
    expect(error instanceof context.Net2PhoneDialer.errors.Net2PhoneDialerError).toBe(true);
  });

  it('sets module.exports to the class under CommonJS', () => {
    const module = { exports: {} as unknown };
    const context = runUmd({ module, exports: module.exports });
    expectTheClass(module.exports as DialerClass);
    expect(context.Net2PhoneDialer).toBeUndefined();
  });

  it('calls an anonymous AMD define with a factory returning the class', () => {
    const calls: unknown[][] = [];
    const define = Object.assign((...args: unknown[]) => calls.push(args), { amd: {} });
    runUmd({ define });
    expect(calls).toHaveLength(1);
    const factory = calls[0]!.at(-1) as () => DialerClass;
    expectTheClass(factory());
  });

  it('captures document.currentScript.src as the default server while evaluating', () => {
    const appended: Array<{ getAttribute(name: string): string | null }> = [];
    const element = {
      nodeType: 1,
      appendChild: (child: (typeof appended)[number]) => appended.push(child),
      ownerDocument: {
        defaultView: { location: { origin: 'https://crm.example.com' }, addEventListener() {} },
        createElement: () => {
          const attributes: Record<string, string> = {};
          return { style: {}, setAttribute: (k: string, v: string) => (attributes[k] = v), getAttribute: (k: string) => attributes[k] ?? null };
        },
      },
    };
    const context = runUmd({ document: { currentScript: { src: 'https://gw.example.com:8443/sdk/dialer-sdk.umd.js' } }, setTimeout, clearTimeout, URL });
    new context.Net2PhoneDialer({ rootHtmlElement: element });
    expect(appended[0]!.getAttribute('src')).toBe(
      'https://gw.example.com:8443/dialer/?parentOrigin=https%3A%2F%2Fcrm.example.com',
    );
  });
});

describe('dist/dialer-sdk.cjs', () => {
  it('is usable with require(): the class, with named exports attached', () => {
    const required = createRequire(import.meta.url)(dist('dialer-sdk.cjs')) as DialerClass;
    expectTheClass(required);
    expect(required.Net2PhoneDialer).toBe(required);
    expect(required.InvalidPhoneNumberError).toBe(required.errors.InvalidPhoneNumberError);
  });
});

describe('dist/dialer-sdk.mjs', () => {
  it('has the default export and the named exports', async () => {
    const module = await import(/* @vite-ignore */ dist('dialer-sdk.mjs'));
    expect(typeof module.default).toBe('function');
    expect(module.Net2PhoneDialer).toBe(module.default);
    expect(module.CallResult.NotAnswered).toBe('not_answered');
    expect(module.default.errors.AuthenticationError).toBe(module.AuthenticationError);
  });
});

describe('dist/index.d.ts', () => {
  it('does not reference the private protocol package', () => {
    for (const file of ['index.d.ts', 'net2phone-dialer.d.ts', 'events.d.ts', 'call.d.ts', 'errors.d.ts']) {
      expect(readFileSync(dist(file), 'utf8')).not.toContain('@opendialer/protocol');
    }
  });
});
