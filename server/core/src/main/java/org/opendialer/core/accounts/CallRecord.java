package org.opendialer.core.accounts;

import java.time.Instant;
import org.opendialer.media.quality.QualitySummary;

/**
 * One row of the call log. {@code username} is null when the user has since been deleted; {@code quality}
 * is null for a call that was never answered or ended before its first quality sample was stored.
 */
public record CallRecord(
        String id,
        String username,
        String direction,
        String state,
        String result,
        String fromNumber,
        String toNumber,
        String callerDisplayName,
        Instant startTime,
        Instant answerTime,
        Instant endTime,
        String endReason,
        Instant updatedAt,
        QualitySummary quality) {

    /** A row without a quality summary. */
    public CallRecord(String id, String username, String direction, String state, String result, String fromNumber,
                      String toNumber, String callerDisplayName, Instant startTime, Instant answerTime,
                      Instant endTime, String endReason, Instant updatedAt) {
        this(id, username, direction, state, result, fromNumber, toNumber, callerDisplayName, startTime, answerTime,
                endTime, endReason, updatedAt, null);
    }
}
