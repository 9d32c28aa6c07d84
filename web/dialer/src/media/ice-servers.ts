import { isWsMediaConfigResult, type WsMediaConfigResult } from '@opendialer/protocol';
import type { MediaEnvironment } from './call-media';

/** Fresh credentials are fetched when the ones held expire within this margin. */
const REFRESH_MARGIN_MS = 10 * 60_000;

/**
 * The TURN servers the gateway hands this user (`mediaConfig`, protocol.md part 6) and where the gateway's
 * audio ports are. `wrap` gives every `RTCPeerConnection` the servers known when it is created, so the call
 * media code needs no change: without TURN (or with an older gateway) the list is empty and the browser
 * reaches the gateway's host candidates only, over UDP or ICE-TCP.
 */
export class IceServers {
  private config: WsMediaConfigResult | null = null;

  constructor(private readonly now: () => number = () => Date.now()) {}

  /** The last answer, or `null` before one (or from a gateway without `mediaConfig`). */
  get current(): WsMediaConfigResult | null {
    return this.config;
  }

  /**
   * Asks the gateway unless the credentials held are good for a while; a failure keeps what was held
   * (a call is never refused for this: it may still connect over UDP or TCP).
   */
  async refresh(request: () => Promise<unknown>): Promise<void> {
    const expires = this.config?.ice_servers_expire_at;
    if (this.config && (expires === null || Date.parse(expires ?? '') - this.now() > REFRESH_MARGIN_MS)) return;
    try {
      const result = await request();
      if (isWsMediaConfigResult(result)) this.config = result;
    } catch {
      // unknown_method from an older gateway, a timeout: keep going with what we have
    }
  }

  /**
   * `env` with this user's TURN servers added to every peer connection. `refresh` runs once the microphone is
   * open, before the peer connection is made: a call that cannot start (microphone denied) sends nothing.
   */
  wrap(env: MediaEnvironment, request: () => Promise<unknown>): MediaEnvironment {
    const servers = () =>
      (this.config?.ice_servers ?? []).map((s) => ({ urls: [...s.urls], username: s.username, credential: s.credential }));
    const refresh = () => this.refresh(request);
    return {
      get getUserMedia() {
        const open = env.getUserMedia;
        return open
          ? async (constraints: MediaStreamConstraints) => {
              const stream = await open(constraints);
              await refresh();
              return stream;
            }
          : null;
      },
      createPeerConnection: (config) => env.createPeerConnection({ ...config, iceServers: [...(config.iceServers ?? []), ...servers()] }),
      audioCodecs: () => env.audioCodecs(),
    };
  }
}
