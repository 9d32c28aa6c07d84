package org.opendialer.media.quality;

/**
 * A call's quality from its answer to its end, leaving out time on hold (docs/call-quality.md): per
 * 5 s sample the worse MOS of the two legs, its lowest and average value, and each leg's own summary.
 * {@code sip} is null when the far end is not a SIP leg (an extension call's other browser); the MOS
 * figures are {@code Double.NaN} when no sample was taken (a call shorter than one interval).
 */
public record QualitySummary(int samples, double mosMin, double mosAvg, LegSummary browser, LegSummary sip) {
}
