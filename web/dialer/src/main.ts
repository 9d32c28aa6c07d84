import { AuthSession } from './auth';
import { BootRequests } from './boot-requests';
import { DialerApp } from './dialer-app';
import type { SocketLike } from './gateway-client';
import { HostChannel } from './host-channel';
import { loadFormatting } from './number-format';
import { checkParent, isDialerConfig, type DialerConfig } from './parent-check';
import { strings } from './strings';
import { mount } from './ui/dom';
import { noticeView } from './ui/notice-view';

/** The config the gateway put in index.html (`<script type="application/json" id="dialer-config">`). */
function inlineConfig(): DialerConfig | null {
  try {
    const text = document.getElementById('dialer-config')?.textContent;
    const config: unknown = text ? JSON.parse(text) : null;
    return isDialerConfig(config) ? config : null;
  } catch {
    return null;
  }
}

/** The inline config, or (a page served without it) ./config.json. */
async function loadConfig(): Promise<DialerConfig | null> {
  const inline = inlineConfig();
  if (inline) return inline;
  try {
    const res = await fetch('./config.json', { cache: 'no-store', credentials: 'omit' });
    const config: unknown = res.ok ? await res.json() : null;
    return isDialerConfig(config) ? config : null;
  } catch {
    return null;
  }
}

/** How long the dialer waits for the SDK's first request before it builds its views anyway. */
const FIRST_REQUEST_WAIT_MS = 50;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function openSocket(url: string): SocketLike {
  return new WebSocket(url) as unknown as SocketLike;
}

function storageOrNull(name: 'localStorage' | 'sessionStorage'): Storage | null {
  try {
    return window[name];
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const root = document.getElementById('app') as HTMLElement;
  const inIframe = window.parent !== window;
  if (!inIframe) {
    mount(root, noticeView(strings.notEmbedded));
    return;
  }
  const config = await loadConfig();
  if (!config) {
    mount(root, noticeView(strings.configUnavailable));
    return;
  }
  const check = checkParent({
    parentOrigin: new URLSearchParams(location.search).get('parentOrigin'),
    ancestorOrigin: location.ancestorOrigins?.[0],
    inIframe,
    allowedOrigins: config.allowedOrigins,
  });
  if (!check.ok) {
    const origin = check.reason === 'not-allowed' ? check.origin : null;
    mount(root, noticeView(strings.notAllowed(origin ?? strings.unknownOrigin)));
    return;
  }

  // On the way to ready (docs/benchmarks.md, "Time to ready"): the WebSocket is opened first and
  // `ready` is posted before the app builds its DOM. Chromium forwards a postMessage to a parent in
  // another process from a task of its own, so the app is built in the next task: otherwise `ready`
  // waits for that DOM work (and often for the first layout and paint). Requests that arrive before
  // the app exists wait for it.
  const gatewayUrl = `${location.origin.replace(/^http/, 'ws')}/ws`;
  let earlySocket: SocketLike | null = openSocket(gatewayUrl);
  let appCreated!: (app: DialerApp) => void;
  let appFailed!: (error: unknown) => void;
  const appReady = new Promise<DialerApp>((resolve, reject) => {
    appCreated = resolve;
    appFailed = reject;
  });
  // Without a stored session the first getAuthState is answered before the app exists (signed out:
  // nobody can have signed in yet), and the app is built once that answer is out, or after
  // FIRST_REQUEST_WAIT_MS: the SDK asks right after `ready`, and building the app first would make
  // the answer wait for that DOM work.
  const storage = storageOrNull('localStorage');
  const requests = new BootRequests(!new AuthSession(storage).storedToken(), appReady);
  // The counters let end-to-end tests see that forged messages were ignored.
  const channel = new HostChannel(window, window.parent, check.parentOrigin, (m, p) => requests.handle(m, p), (s) => {
    document.body.dataset.hostAccepted = String(s.accepted);
    document.body.dataset.hostIgnored = String(s.ignored);
  });
  // ready first, so that the first connectionStateChanged event reaches an SDK that listens.
  channel.sendReady();
  await Promise.race([requests.firstRequest, delay(FIRST_REQUEST_WAIT_MS)]);
  await delay(0); // the answer's postMessage goes out first
  let app: DialerApp;
  try {
    app = new DialerApp({
      root,
      gatewayUrl,
      // The first connect takes the socket opened above while it is still connecting (so that no
      // open or close event was missed); otherwise, and on reconnects, a new one.
      createSocket: (url) => {
        const early = earlySocket;
        earlySocket = null;
        if (early && url === gatewayUrl && early.readyState === 0) return early;
        early?.close();
        return openSocket(url);
      },
      storage,
      tabStorage: storageOrNull('sessionStorage'),
      emit: (event) => {
        channel.sendEvent(event);
        // Number formatting is needed by no answer on the way to ready: its chunk loads once the
        // gateway is connected (and the first getAuthState answered), not while the dialer waits for it.
        if (event.type === 'connectionStateChanged' && event.state === 'connected') void loadFormatting();
      },
      audioProcessing: config.audioProcessing ?? true,
      defaultRegion: config.defaultRegion,
    });
  } catch (error) {
    earlySocket?.close();
    appFailed(error);
    throw error;
  }
  // Close the peer connection and release the microphone when the page goes away.
  window.addEventListener('pagehide', () => app.dispose());
  app.start();
  requests.appCreated();
  appCreated(app);
  setTimeout(() => void loadFormatting(), 1000); // the gateway is slow or away: format anyway
}

void main();
