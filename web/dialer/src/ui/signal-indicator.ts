import type { CallQualityEvent } from '@opendialer/protocol';
import { el } from './dom';
import { strings } from '../strings';

/**
 * A small signal indicator for the call with audio here: three bars, `data-quality` good (MOS ≥ 4),
 * fair (≥ 3.5) or poor, with the figures and warnings in its title; hidden without a call.
 */
export function signalIndicator(): { root: HTMLElement; show(q: CallQualityEvent | null): void } {
  const root = el('span', { class: 'signal', role: 'img', hidden: true }, el('i', {}), el('i', {}), el('i', {}));
  const show = (q: CallQualityEvent | null) => {
    if (!q || q.mos === null) {
      root.hidden = true;
      delete root.dataset.quality;
      return;
    }
    const level = q.mos >= 4 ? 'good' : q.mos >= 3.5 ? 'fair' : 'poor';
    root.hidden = false;
    root.dataset.quality = level;
    root.dataset.warnings = q.warnings.join(' ');
    const figures = `MOS ${q.mos.toFixed(1)}, ${strings.quality.loss} ${q.packet_loss_pct ?? '–'} %, ${strings.quality.jitter} ${q.jitter_ms ?? '–'} ms, ${strings.quality.rtt} ${q.rtt_ms ?? '–'} ms`;
    const label = `${strings.quality[level]}: ${figures}${q.warnings.length ? ` (${q.warnings.map((w) => strings.quality.warnings[w]).join(', ')})` : ''}`;
    root.setAttribute('aria-label', label);
    root.title = label;
  };
  return { root, show };
}
