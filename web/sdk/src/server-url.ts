import { InvalidOptionsError } from './errors';

let loadedFrom: string | null = null;

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

/** The server's base URL without trailing slash: the option, or the origin the SDK came from. */
export function resolveServerUrl(option: unknown): string {
  if (option === undefined) {
    const url = loadedFrom === null ? null : parseHttpUrl(loadedFrom);
    if (!url) {
      throw new InvalidOptionsError(
        'options.serverUrl is required: the SDK could not tell which server it was loaded from ' +
          '(pass e.g. { serverUrl: "https://dialer.example.com" }).',
      );
    }
    return url.origin;
  }
  const url = typeof option === 'string' ? parseHttpUrl(option) : null;
  if (!url) {
    throw new InvalidOptionsError(
      `options.serverUrl must be an absolute http(s) URL such as "https://dialer.example.com", got ${JSON.stringify(option)}.`,
    );
  }
  return url.origin + url.pathname.replace(/\/+$/, '');
}
