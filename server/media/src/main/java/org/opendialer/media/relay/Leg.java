package org.opendialer.media.relay;

/** Where one side's media goes: a browser (SRTP on the shared port) or a SIP peer (plain RTP). */
interface Leg {
    /** This leg's payload type numbers. */
    PayloadFormats formats();

    /** False when the packet could not leave (no peer address yet, not connected, socket full). */
    boolean sendRtp(byte[] buf, int off, int len);

    boolean sendRtcp(byte[] buf, int off, int len);

    void close();
}
