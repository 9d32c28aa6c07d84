// Audio helpers for the audio tests: the fake microphone's WAV file, G.711 µ-law, a Goertzel
// detector, and a plain RTP peer standing in for the SIP side's media (what a phone would send and
// receive), so a test can check what really crossed the gateway.
import { createSocket } from 'node:dgram';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Writes a 16-bit mono 48 kHz WAV of a sine at `freq` Hz (Chromium loops it as the fake microphone). */
export function writeToneWav(file, freq, seconds = 5, amplitude = 0.5) {
  if (existsSync(file)) return file;
  mkdirSync(path.dirname(file), { recursive: true });
  const rate = 48000;
  const samples = rate * seconds;
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) {
    data.writeInt16LE(Math.round(Math.sin((2 * Math.PI * freq * i) / rate) * amplitude * 32767), i * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  writeFileSync(file, Buffer.concat([header, data]));
  return file;
}

/** G.711 A-law byte → linear sample (ITU-T G.711, as in the reference g711.c). */
export function alawToLinear(byte) {
  const a = byte ^ 0x55;
  let t = (a & 0x0f) << 4;
  const seg = (a & 0x70) >> 4;
  if (seg === 0) t += 8;
  else if (seg === 1) t += 0x108;
  else t = (t + 0x108) << (seg - 1);
  return a & 0x80 ? t : -t;
}

/** Linear 16-bit sample → G.711 A-law byte. */
export function linearToAlaw(sample) {
  let s = Math.max(-32768, Math.min(32767, Math.round(sample))) >> 3;
  let mask = 0xd5;
  if (s < 0) {
    mask = 0x55;
    s = -s - 1;
  }
  let seg = 0;
  while (seg < 8 && s > (0x1f << seg) + ((1 << seg) - 1)) seg++;
  if (seg >= 8) return 0x7f ^ mask;
  const mantissa = seg < 2 ? (s >> 1) & 0x0f : (s >> seg) & 0x0f;
  return ((seg << 4) | mantissa) ^ mask;
}

/** G.711 µ-law byte → linear sample (ITU-T G.711). */
export function ulawToLinear(byte) {
  const u = ~byte & 0xff;
  const t = (((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4);
  return u & 0x80 ? 0x84 - t : t - 0x84;
}

/** Linear 16-bit sample → G.711 µ-law byte. */
export function linearToUlaw(sample) {
  const BIAS = 0x84;
  let sign = 0;
  let s = Math.max(-32635, Math.min(32635, Math.round(sample)));
  if (s < 0) {
    s = -s;
    sign = 0x80;
  }
  s += BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

/**
 * Share of the signal's energy at `freq` (Goertzel): about 1 for a pure tone at `freq`, near 0 for
 * other tones or noise. Also returns the RMS level (full scale 32768 → 1).
 */
export function toneRatio(samples, freq, rate = 8000) {
  const k = 2 * Math.cos((2 * Math.PI * freq) / rate);
  let s1 = 0;
  let s2 = 0;
  let total = 0;
  for (const x of samples) {
    const s0 = x + k * s1 - s2;
    s2 = s1;
    s1 = s0;
    total += x * x;
  }
  const power = s1 * s1 + s2 * s2 - k * s1 * s2;
  const n = samples.length;
  return { ratio: total > 0 ? (2 * power) / n / total : 0, rms: n ? Math.sqrt(total / n) / 32768 : 0 };
}

/**
 * A plain RTP endpoint on 127.0.0.1 playing the SIP side's media: records every packet it receives
 * (payload type, RFC 4733 events, µ-law audio) and can send a µ-law tone to an address.
 */
export async function startRtpPeer(port) {
  const socket = createSocket('udp4');
  const packets = [];
  socket.on('message', (msg, rinfo) => {
    if (msg.length < 12 || msg[0] >> 6 !== 2) return;
    const cc = msg[0] & 0x0f;
    const payloadType = msg[1] & 0x7f;
    const marker = (msg[1] & 0x80) !== 0;
    const seq = msg.readUInt16BE(2);
    const timestamp = msg.readUInt32BE(4);
    const payload = msg.subarray(12 + cc * 4);
    packets.push({ at: Date.now(), payloadType, marker, seq, timestamp, payload: Buffer.from(payload), from: `${rinfo.address}:${rinfo.port}` });
  });
  await new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, '127.0.0.1', resolve);
  });
  let sender = null;
  return {
    packets,
    /** Packets received since `since` (ms since epoch) with payload type `pt`. */
    since(since, pt) {
      return packets.filter((p) => p.at >= since && (pt === undefined || p.payloadType === pt));
    },
    /** Audio of PT 0 (µ-law) packets, or PT 8 (A-law) with `pt` 8, received in [from, to): decoded samples. */
    audio(from, to = Date.now(), pt = 0) {
      const decode = pt === 8 ? alawToLinear : ulawToLinear;
      const out = [];
      for (const p of packets) if (p.payloadType === pt && p.at >= from && p.at < to) for (const b of p.payload) out.push(decode(b));
      return out;
    },
    /** RFC 4733 events received (payload type `pt`): the digits, one per event (end packets de-duplicated). */
    digits(pt) {
      const names = '0123456789*#ABCD';
      const seen = new Set();
      let digits = '';
      for (const p of packets) {
        if (p.payloadType !== pt || p.payload.length < 4) continue;
        const end = (p.payload[1] & 0x80) !== 0;
        if (!end || seen.has(p.timestamp)) continue;
        seen.add(p.timestamp);
        digits += names[p.payload[0]] ?? '?';
      }
      return digits;
    },
    /** Sends 20 ms PCMU packets (PCMA with `pt` 8) of a `freq` Hz tone to `host:port` until stopped. */
    sendTone(host, port, freq, pt = 0) {
      const encode = pt === 8 ? linearToAlaw : linearToUlaw;
      let seq = 1;
      let ts = 0;
      let phase = 0;
      const ssrc = 0x1234abcd;
      sender = setInterval(() => {
        const pkt = Buffer.alloc(12 + 160);
        pkt[0] = 0x80;
        pkt[1] = pt;
        pkt.writeUInt16BE(seq++ & 0xffff, 2);
        pkt.writeUInt32BE(ts >>> 0, 4);
        pkt.writeUInt32BE(ssrc, 8);
        for (let i = 0; i < 160; i++) {
          pkt[12 + i] = encode(Math.sin(phase) * 12000);
          phase += (2 * Math.PI * freq) / 8000;
        }
        ts += 160;
        socket.send(pkt, port, host);
      }, 20);
    },
    /** Stops sending the tone. */
    stopTone() {
      if (sender) clearInterval(sender);
      sender = null;
    },
    async close() {
      if (sender) clearInterval(sender);
      await new Promise((r) => socket.close(r));
    },
  };
}
