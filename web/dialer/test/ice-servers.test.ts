import { describe, expect, it, vi } from 'vitest';
import { IceServers } from '../src/media/ice-servers';
import type { MediaEnvironment } from '../src/media/call-media';
import { strings } from '../src/strings';

const config = (expiresAt: string | null, turn = true) => ({
  ice_servers: turn ? [{ urls: ['turn:127.0.0.1:3478?transport=tcp'], username: '1733400000:42', credential: 'pw' }] : [],
  ice_servers_expire_at: expiresAt,
  gateway: { address: '127.0.0.1', udp_port: 19000, tcp_port: 19000, turn },
});

function fakeEnv() {
  const configs: RTCConfiguration[] = [];
  const env: MediaEnvironment = {
    getUserMedia: async () => ({}) as MediaStream,
    createPeerConnection: (c) => {
      configs.push(c);
      return {} as RTCPeerConnection;
    },
    audioCodecs: () => null,
  };
  return { env, configs };
}

describe('IceServers', () => {
  it('asks mediaConfig once the microphone is open and gives the TURN server to the next peer connection', async () => {
    const now = Date.parse('2026-12-05T20:00:00Z');
    const ice = new IceServers(() => now);
    const request = vi.fn(async () => config('2026-12-06T20:00:00Z'));
    const { env, configs } = fakeEnv();
    const wrapped = ice.wrap(env, request);
    await wrapped.getUserMedia!({ audio: true });
    wrapped.createPeerConnection({ iceServers: [], bundlePolicy: 'max-bundle' });
    expect(configs[0]).toEqual({
      iceServers: [{ urls: ['turn:127.0.0.1:3478?transport=tcp'], username: '1733400000:42', credential: 'pw' }],
      bundlePolicy: 'max-bundle',
    });
    await wrapped.getUserMedia!({ audio: true }); // still valid for a day: not asked again
    expect(request).toHaveBeenCalledTimes(1);
  });

  it('asks again when the credentials expire within ten minutes', async () => {
    const now = Date.parse('2026-12-05T20:00:00Z');
    const ice = new IceServers(() => now);
    const request = vi.fn(async () => config('2026-12-05T20:05:00Z'));
    await ice.refresh(request);
    await ice.refresh(request);
    expect(request).toHaveBeenCalledTimes(2);
  });

  it('keeps going without TURN when the gateway does not know mediaConfig or answers nonsense', async () => {
    const ice = new IceServers();
    await ice.refresh(async () => {
      throw new Error('unknown_method');
    });
    expect(ice.current).toBeNull();
    await ice.refresh(async () => ({ ice_servers: [{ urls: ['http://evil'] }], gateway: {} }));
    expect(ice.current).toBeNull();
    const { env, configs } = fakeEnv();
    ice.wrap(env, async () => null).createPeerConnection({ iceServers: [] });
    expect(configs[0].iceServers).toEqual([]);
  });

  it('says what to open after media_failed', () => {
    expect(strings.networkBlocked(config(null, false).gateway)).toBe(
      'The call audio could not get through this network. Ask your IT team to allow UDP port 19000 or TCP port 19000 to 127.0.0.1, or to set up a TURN server for the dialer.',
    );
    expect(strings.networkBlocked(config('x').gateway)).toContain('not even through the TURN server');
    expect(strings.endReasons.media_failed).toBe('your network blocks the call audio');
  });
});
