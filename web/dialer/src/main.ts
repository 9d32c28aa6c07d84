import { DialerApp } from './dialer-app';
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

  let channel: HostChannel | null = null;
  const app = new DialerApp({
    root,
    gatewayUrl: `${location.origin.replace(/^http/, 'ws')}/ws`,
    storage: storageOrNull('localStorage'),
    tabStorage: storageOrNull('sessionStorage'),
    emit: (event) => {
      channel?.sendEvent(event);
      // Number formatting is needed by no answer on the way to ready: its chunk loads once the
      // gateway is connected (and the first getAuthState answered), not while the dialer waits for it.
      if (event.type === 'connectionStateChanged' && event.state === 'connected') void loadFormatting();
    },
    audioProcessing: config.audioProcessing ?? true,
    defaultRegion: config.defaultRegion,
  });
  // Close the peer connection and release the microphone when the page goes away.
  window.addEventListener('pagehide', () => app.dispose());
  // The counters let end-to-end tests see that forged messages were ignored.
  channel = new HostChannel(window, window.parent, check.parentOrigin, (m, p) => app.handleHostRequest(m, p), (s) => {
    document.body.dataset.hostAccepted = String(s.accepted);
    document.body.dataset.hostIgnored = String(s.ignored);
  });
  // ready first, so that the first connectionStateChanged event reaches an SDK that listens.
  channel.sendReady();
  app.start();
  setTimeout(() => void loadFormatting(), 1000); // the gateway is slow or away: format anyway
}

void main();
