import { InvalidOptionsError } from './errors';

let loadedFrom: string | null = null;

/** The page-level setting naming the gateway when the SDK is bundled into the host's own code. */
export const SERVER_META_NAME = 'net2phone-dialer-server';

/** The gateway serves its SDK files as `<server>/sdk/dialer-sdk.<ext>`; anything else is not it. */
const GATEWAY_SDK_FILE = /^(.*)\/sdk\/dialer-sdk\.(?:mjs|cjs|umd\.js)$/;

/**
 * Called by the build's entry file with the URL the SDK file was loaded from:
 * `import.meta.url` (ESM) or `document.currentScript.src` (UMD/CommonJS, read while the
 * script evaluates, since `currentScript` is null afterwards).
 */
export function setLoadedFrom(url: string | null | undefined): void {
  loadedFrom = url || null;
}

function parseHttpUrl(value: string): URL | null {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

/**
 * The server the SDK file itself came from, only when that file is the gateway's `/sdk/` file.
 * Bundled from npm (esbuild, Vite, webpack), `import.meta.url` is the host's own bundle, whose
 * origin serves no dialer: that URL says nothing about the server.
 */
function serverOfSdkFile(): string | null {
  const url = loadedFrom === null ? null : parseHttpUrl(loadedFrom);
  const match = url ? GATEWAY_SDK_FILE.exec(url.pathname) : null;
  return url && match ? url.origin + match[1] : null;
}

/** `<meta name="net2phone-dialer-server" content="https://dialer.example.com">`, when the page has one. */
function serverOfPage(): string | null {
  if (typeof document === 'undefined') return null;
  const meta = document.querySelector(`meta[name="${SERVER_META_NAME}"]`);
  if (!meta) return null;
  const content = meta.getAttribute('content') ?? '';
  const url = parseHttpUrl(content.trim());
  if (!url) {
    throw new InvalidOptionsError(
      `<meta name="${SERVER_META_NAME}"> must hold an absolute http(s) URL such as "https://dialer.example.com", got ${JSON.stringify(content)}.`,
    );
  }
  return withoutTrailingSlash(url);
}

function withoutTrailingSlash(url: URL): string {
  return url.origin + url.pathname.replace(/\/+$/, '');
}

/**
 * The server's base URL without trailing slash: the option; else the server the SDK file was
 * loaded from when it is the gateway's `/sdk/` file; else the page's
 * `<meta name="net2phone-dialer-server">`. With none of them it throws at once, naming both ways.
 */
export function resolveServerUrl(option: unknown): string {
  if (option === undefined) {
    const server = serverOfSdkFile() ?? serverOfPage();
    if (server === null) {
      throw new InvalidOptionsError(
        'options.serverUrl is required: the SDK was not loaded from a dialer gateway\'s /sdk/ file ' +
          '(bundled from npm it cannot tell the server). Pass { serverUrl: "https://dialer.example.com" }, ' +
          `or put <meta name="${SERVER_META_NAME}" content="https://dialer.example.com"> in the page.`,
      );
    }
    return server;
  }
  const url = typeof option === 'string' ? parseHttpUrl(option) : null;
  if (!url) {
    throw new InvalidOptionsError(
      `options.serverUrl must be an absolute http(s) URL such as "https://dialer.example.com", got ${JSON.stringify(option)}.`,
    );
  }
  return withoutTrailingSlash(url);
}
