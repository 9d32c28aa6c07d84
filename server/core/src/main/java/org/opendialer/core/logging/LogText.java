package org.opendialer.core.logging;

/**
 * Client-supplied text made safe to log: control characters (line breaks) and invisible format characters
 * (bidi overrides such as U+202E, zero-width marks) replaced, long text clipped.
 */
public final class LogText {
    private static final int MAX = 64;

    private LogText() {
    }

    /** {@code text} with every control or format character as {@code ?} and at most 64 characters (then "…"). */
    public static String printable(String text) {
        if (text == null) {
            return "null";
        }
        String clipped = text.length() > MAX ? text.substring(0, MAX) + "…" : text;
        return clipped.replaceAll("[\\p{Cc}\\p{Cf}]", "?");
    }
}
