package org.opendialer.testkit;

/** The JVM's used heap after garbage collection, for leak checks around a fuzz run (not for speed). */
public final class HeapProbe {
    private HeapProbe() {}

    /** Used heap in bytes after three collections a little apart, so that what is left is live. */
    public static long usedAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
