import type { MediaCodec } from '@opendialer/protocol';

/** G.711 only: the relay forwards RTP without decoding, so both legs must use the same codec. */
const STATIC_PAYLOAD_TYPES: Record<string, MediaCodec> = { '0': 'PCMU', '8': 'PCMA' };

const mime = (codec: RTCRtpCodec) => codec.mimeType.toLowerCase();
const other = (codec: MediaCodec): MediaCodec => (codec === 'PCMU' ? 'PCMA' : 'PCMU');

/**
 * The codecs to offer, best first: `first`, the other G.711 law, then telephone-event (RFC 4733;
 * the 8 kHz one when the browser lists several clock rates). `null` when the browser lists no G.711
 * (then nothing is restricted and the gateway picks from the full offer).
 */
export function codecPreferences(available: readonly RTCRtpCodec[], first: MediaCodec): RTCRtpCodec[] | null {
  const named = (name: string) => available.filter((c) => mime(c) === `audio/${name.toLowerCase()}`);
  const g711 = [...named(first), ...named(other(first))];
  if (g711.length === 0) return null;
  const events = named('telephone-event');
  const events8k = events.filter((c) => c.clockRate === 8000);
  return [...g711, ...(events8k.length > 0 ? events8k : events)];
}

/** Payload type → codec name, from the `a=rtpmap` lines of one media section. */
function rtpmap(lines: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of lines) {
    const m = /^a=rtpmap:(\d+) ([^/\s]+)/.exec(line);
    if (m) map.set(m[1]!, m[2]!.toUpperCase());
  }
  return map;
}

function splitLines(sdp: string): string[] {
  return sdp.split(/\r?\n/);
}

/** The index of the `m=audio` line and the lines of its section. */
function audioSection(lines: readonly string[]): { index: number; section: string[] } | null {
  const index = lines.findIndex((l) => l.startsWith('m=audio '));
  if (index === -1) return null;
  let end = lines.findIndex((l, i) => i > index && l.startsWith('m='));
  if (end === -1) end = lines.length;
  return { index, section: lines.slice(index, end) };
}

function nameOf(pt: string, map: Map<string, string>): string | undefined {
  return map.get(pt) ?? STATIC_PAYLOAD_TYPES[pt];
}

/**
 * The fallback where `setCodecPreferences` is missing: the same order obtained by reordering the
 * payload types of the offer's `m=audio` line (`first`, the other G.711, telephone-event, the
 * rest). Only the order changes, which every browser accepts in `setLocalDescription`.
 */
export function preferInSdp(sdp: string, first: MediaCodec): string {
  const lines = splitLines(sdp);
  const audio = audioSection(lines);
  if (!audio) return sdp;
  const map = rtpmap(audio.section);
  const [m, port, proto, ...pts] = lines[audio.index]!.split(' ');
  const rank = (pt: string) => {
    const name = nameOf(pt, map);
    return name === first ? 0 : name === other(first) ? 1 : name === 'TELEPHONE-EVENT' ? 2 : 3;
  };
  const sorted = pts.map((pt, i) => ({ pt, i })).sort((a, b) => rank(a.pt) - rank(b.pt) || a.i - b.i).map((p) => p.pt);
  lines[audio.index] = [m, port, proto, ...sorted].join(' ');
  return lines.join('\r\n');
}

/** The codec an SDP answer chose: its first G.711 payload type (RFC 3264 §6.1), or `null`. */
export function codecOfAnswer(sdp: string): MediaCodec | null {
  const lines = splitLines(sdp);
  const audio = audioSection(lines);
  if (!audio) return null;
  const map = rtpmap(audio.section);
  for (const pt of audio.section[0]!.split(' ').slice(3)) {
    const name = nameOf(pt, map);
    if (name === 'PCMU' || name === 'PCMA') return name;
  }
  return null;
}
