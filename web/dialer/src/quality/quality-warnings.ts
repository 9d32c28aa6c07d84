import type { LegQuality, QualityWarning } from '@opendialer/protocol';

/**
 * Warning thresholds (docs/call-quality.md): a warning is raised when its figure crosses `raise`
 * and cleared only once it is back past `clear`, so a figure hovering at the threshold does not
 * make the warning blink on and off every 5 s.
 */
export const THRESHOLDS: Record<QualityWarning, { figure: keyof LegQuality; raise: number; clear: number; above: boolean }> = {
  high_packet_loss: { figure: 'packet_loss_pct', raise: 3, clear: 2, above: true },
  high_jitter: { figure: 'jitter_ms', raise: 30, clear: 20, above: true },
  high_rtt: { figure: 'rtt_ms', raise: 400, clear: 300, above: true },
  low_mos: { figure: 'mos', raise: 3.5, clear: 3.7, above: false },
};

/** The warnings of one call, with hysteresis. */
export class QualityWarnings {
  private readonly active = new Set<QualityWarning>();

  update(q: LegQuality): QualityWarning[] {
    for (const [name, t] of Object.entries(THRESHOLDS) as Array<[QualityWarning, (typeof THRESHOLDS)[QualityWarning]]>) {
      const v = q[t.figure];
      if (v === null) continue;
      const raised = t.above ? v > t.raise : v < t.raise;
      const cleared = t.above ? v < t.clear : v > t.clear;
      if (raised) this.active.add(name);
      else if (cleared) this.active.delete(name);
    }
    return (Object.keys(THRESHOLDS) as QualityWarning[]).filter((w) => this.active.has(w));
  }
}
