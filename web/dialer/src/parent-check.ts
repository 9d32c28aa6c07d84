export interface DialerConfig {
  allowedOrigins: string[];
  defaultRegion?: string;
  version?: string;
  /**
   * Echo cancellation, noise suppression and gain control on the microphone; default true. Tone
   * tests turn it off (noise suppression attenuates a steady tone).
   */
  audioProcessing?: boolean;
}

export type ParentCheck =
  | { ok: true; parentOrigin: string }
  | { ok: false; reason: 'not-embedded' }
  | { ok: false; reason: 'not-allowed'; origin: string | null };

export interface ParentFacts {
  /** The `parentOrigin` query parameter, as the SDK sent it. */
  parentOrigin: string | null;
  /** `location.ancestorOrigins[0]`, where the browser provides it. */
  ancestorOrigin: string | undefined;
  inIframe: boolean;
  allowedOrigins: readonly string[];
}

/** Decides whether the dialer may operate for the page that embeds it (docs/protocol.md part 1). */
export function checkParent(f: ParentFacts): ParentCheck {
  if (!f.inIframe) return { ok: false, reason: 'not-embedded' };
  const origin = f.parentOrigin;
  if (!origin || !f.allowedOrigins.includes(origin)) {
    return { ok: false, reason: 'not-allowed', origin: f.ancestorOrigin ?? origin };
  }
  if (f.ancestorOrigin !== undefined && f.ancestorOrigin !== origin) {
    return { ok: false, reason: 'not-allowed', origin: f.ancestorOrigin };
  }
  return { ok: true, parentOrigin: origin };
}

export function isDialerConfig(x: unknown): x is DialerConfig {
  const c = x as DialerConfig;
  return typeof c === 'object' && c !== null && Array.isArray(c.allowedOrigins) &&
    c.allowedOrigins.every((o) => typeof o === 'string') &&
    (c.audioProcessing === undefined || typeof c.audioProcessing === 'boolean');
}
