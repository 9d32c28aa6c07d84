/**
 * MOS from the ITU-T G.107 E-model, simplified for G.711 (docs/call-quality.md has the derivation):
 *
 *   R = 93.2 − Id − Ie,eff
 *   Id = 0.024·d + 0.11·(d − 177.3)·H(d − 177.3)         d: one-way delay in ms
 *   Ie,eff = Ie + (95 − Ie)·Ppl / (Ppl + Bpl)             G.711: Ie = 0, Bpl = 25.1 (with PLC, G.113)
 *   MOS = 1 + 0.035·R + R·(R − 60)·(100 − R)·7·10⁻⁶        (1 below R = 0, 4.5 above R = 100)
 *
 * d = rtt/2 (network) + 2·jitter (a jitter buffer of twice the jitter) + 20 ms (one packet).
 */
export interface EModelInput {
  /** Packet loss in percent (0–100). */
  lossPct: number;
  jitterMs: number;
  /** Round-trip time; unknown counts as 0. */
  rttMs: number | null;
}

const R0_MINUS_IS = 93.2;
const G711_IE = 0;
const G711_BPL = 25.1;
const PACKET_MS = 20;

export function oneWayDelayMs({ jitterMs, rttMs }: EModelInput): number {
  return (rttMs ?? 0) / 2 + 2 * jitterMs + PACKET_MS;
}

export function rFactor(input: EModelInput): number {
  const d = oneWayDelayMs(input);
  const id = 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0);
  const ppl = Math.min(100, Math.max(0, input.lossPct));
  const ieEff = G711_IE + ((95 - G711_IE) * ppl) / (ppl + G711_BPL);
  return R0_MINUS_IS - id - ieEff;
}

export function mosFromR(r: number): number {
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
}

/** MOS (1–4.5) rounded to two decimals. */
export function mos(input: EModelInput): number {
  return Math.round(mosFromR(rFactor(input)) * 100) / 100;
}
