package org.opendialer.core.accounts;

import java.time.Instant;

/** One row of the call log. {@code username} is null when the user has since been deleted. */
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
        Instant updatedAt) {}
