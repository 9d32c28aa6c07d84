/**
 * A call-progress tone: the frequencies played together, and the cadence as alternating on/off
 * durations in seconds, repeated. Values from ITU-T E.180 Supplement 2 ("Various tones used in
 * national networks").
 */
export interface Cadence {
  readonly frequencies: readonly number[];
  readonly segments: readonly number[];
}

/** North American ringing: 440 + 480 Hz, 2 s on, 4 s off (the incoming ringtone uses it too). */
export const US_RINGING: Cadence = { frequencies: [440, 480], segments: [2, 4] };
/** UK ringing: 400 + 450 Hz, 0.4 s on, 0.2 off, 0.4 on, 2.0 off. */
const UK_RINGING: Cadence = { frequencies: [400, 450], segments: [0.4, 0.2, 0.4, 2] };
/** Much of continental Europe (CEPT): 425 Hz, 1 s on, 4 s off. */
const CEPT_RINGING: Cadence = { frequencies: [425], segments: [1, 4] };
/** Australia and New Zealand: 400 + 425 Hz (AU 400+425+450), 0.4 on 0.2 off 0.4 on 2 off. */
const AU_RINGING: Cadence = { frequencies: [400, 425, 450], segments: [0.4, 0.2, 0.4, 2] };
/** Japan: 400 Hz, 1 s on, 2 s off. */
const JP_RINGING: Cadence = { frequencies: [400], segments: [1, 2] };

const BY_REGION: Record<string, Cadence> = {
  US: US_RINGING, CA: US_RINGING,
  GB: UK_RINGING, IE: UK_RINGING,
  DE: CEPT_RINGING, FR: CEPT_RINGING, ES: CEPT_RINGING, IT: CEPT_RINGING, NL: CEPT_RINGING, BE: CEPT_RINGING,
  AT: CEPT_RINGING, CH: CEPT_RINGING, PL: CEPT_RINGING, SE: CEPT_RINGING, NO: CEPT_RINGING, DK: CEPT_RINGING,
  FI: CEPT_RINGING, PT: CEPT_RINGING,
  AU: AU_RINGING, NZ: AU_RINGING,
  JP: JP_RINGING,
};

/** The ringback tone of the gateway's region (`DIALER_DEFAULT_REGION`); US for any other. */
export function ringbackCadence(region: string | undefined): Cadence {
  return (region && BY_REGION[region.toUpperCase()]) || US_RINGING;
}

/** One period of the cadence, in seconds. */
export function period(c: Cadence): number {
  return c.segments.reduce((a, b) => a + b, 0);
}
