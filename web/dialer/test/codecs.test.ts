import { describe, expect, it } from 'vitest';
import { codecOfAnswer, codecPreferences, preferInSdp } from '../src/media/codecs';
import { CAPABILITIES, answerSdp, offerSdp } from './fake-media';

const names = (codecs: RTCRtpCodec[] | null) => codecs && codecs.map((c) => `${c.mimeType}/${c.clockRate}`);

describe('codecPreferences', () => {
  it('puts the wanted G.711 first, then the other, then the 8 kHz telephone-event, and drops the rest', () => {
    expect(names(codecPreferences(CAPABILITIES, 'PCMA'))).toEqual(['audio/PCMA/8000', 'audio/PCMU/8000', 'audio/telephone-event/8000']);
  });
  it('keeps any telephone-event when there is no 8 kHz one, and gives up without G.711', () => {
    const noEight = CAPABILITIES.filter((c) => !(c.mimeType === 'audio/telephone-event' && c.clockRate === 8000));
    expect(names(codecPreferences(noEight, 'PCMU'))).toEqual(['audio/PCMU/8000', 'audio/PCMA/8000', 'audio/telephone-event/48000']);
    expect(codecPreferences([{ mimeType: 'audio/opus', clockRate: 48000 } as RTCRtpCodec], 'PCMU')).toBeNull();
  });
});

describe('preferInSdp', () => {
  it('reorders only the m=audio payload types', () => {
    const sdp = preferInSdp(offerSdp(), 'PCMA');
    expect(sdp).toContain('m=audio 9 UDP/TLS/RTP/SAVPF 8 0 126 111\r\n');
    expect(sdp.replace('8 0 126 111', '111 0 8 126')).toBe(offerSdp());
  });
  it('leaves an SDP without audio alone', () => {
    expect(preferInSdp('v=0\r\n', 'PCMU')).toBe('v=0\r\n');
  });
});

describe('codecOfAnswer', () => {
  it('is the first G.711 payload type of the answer, static types included', () => {
    expect(codecOfAnswer(answerSdp('PCMA'))).toBe('PCMA');
    expect(codecOfAnswer('v=0\r\nm=audio 1 RTP/AVP 126 0\r\na=rtpmap:126 telephone-event/8000\r\n')).toBe('PCMU');
    expect(codecOfAnswer('v=0\r\nm=audio 1 RTP/AVP 111\r\na=rtpmap:111 opus/48000/2\r\n')).toBeNull();
    expect(codecOfAnswer('')).toBeNull();
  });
});
