package org.opendialer.sip;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audio part of an SDP session description, as this gateway offers and answers it: one
 * {@code m=audio} stream over RTP/AVP with G.711 and RFC 4733 telephone events, or over RTP/SAVP with an
 * SDES key ({@code secure}, {@code crypto}; RFC 4568).
 *
 * <p>Hand-written rather than javax.sdp: the gateway needs one media line, and a plain record is easier to
 * build, compare and test than the JSR 141 object model.
 */
public record AudioSdp(String address, int port, List<RtpFormat> formats, MediaDirection direction, int ptime,
                       long sessionId, long sessionVersion, boolean secure, SdesCrypto crypto) {
    /** The codecs this gateway can relay, in order of preference. */
    public static final List<RtpFormat> SUPPORTED = List.of(RtpFormat.PCMU, RtpFormat.PCMA);

    public AudioSdp {
        if (address == null || address.isBlank()) {
            throw new SipAgentException(SipAgentException.Reason.INVALID_SDP, "no connection address");
        }
        if (port < 0 || port > 65535) {
            throw new SipAgentException(SipAgentException.Reason.INVALID_SDP, "port out of range: " + port);
        }
        formats = List.copyOf(formats);
        if (direction == null) {
            direction = MediaDirection.SENDRECV;
        }
    }

    /** A plain RTP/AVP description. */
    public AudioSdp(String address, int port, List<RtpFormat> formats, MediaDirection direction, int ptime,
                    long sessionId, long sessionVersion) {
        this(address, port, formats, direction, ptime, sessionId, sessionVersion, false, null);
    }

    /** A copy over RTP/SAVP with {@code key} (RFC 4568), or over plain RTP/AVP when {@code key} is null. */
    public AudioSdp withSrtp(SdesCrypto key) {
        return new AudioSdp(address, port, formats, direction, ptime, sessionId, sessionVersion, key != null, key);
    }

    /**
     * Whether this description, our offer's answer, is one we can use: a port, a common codec, and the offer's
     * profile (RFC 3264 6: an answer keeps the transport), with a usable SDES key when that is RTP/SAVP.
     */
    public boolean isUsableAnswerTo(AudioSdp offer) {
        return port != 0 && firstCommonCodec().isPresent() && secure == offer.secure()
                && (!secure || crypto != null);
    }

    /** Our standard offer: PCMU, PCMA, telephone-event 0-16, ptime 20, sendrecv. */
    public static AudioSdp offer(String address, int port) {
        long id = System.currentTimeMillis() / 1000 + 2208988800L; // NTP time, as RFC 4566 suggests
        return new AudioSdp(address, port, List.of(RtpFormat.PCMU, RtpFormat.PCMA, RtpFormat.TELEPHONE_EVENT),
                MediaDirection.SENDRECV, 20, id, id);
    }

    /**
     * Answers this offer from {@code address:port}: the first offered codec we support, plus
     * telephone-event with the offerer's payload type if offered, and the reverse direction (RFC 3264 6.1).
     *
     * @throws SipAgentException with {@code NO_COMMON_CODEC} when nothing matches
     */
    public AudioSdp answer(String answerAddress, int answerPort) {
        RtpFormat codec = firstCommonCodec()
                .orElseThrow(() -> new SipAgentException(SipAgentException.Reason.NO_COMMON_CODEC,
                        "offered " + formats));
        List<RtpFormat> chosen = new ArrayList<>();
        chosen.add(codec);
        telephoneEvent().ifPresent(chosen::add);
        long id = System.currentTimeMillis() / 1000 + 2208988800L;
        return new AudioSdp(answerAddress, answerPort, chosen, direction.reverse(), 20, id, id);
    }

    /** The first format of this description that the gateway supports, in this description's order. */
    public java.util.Optional<RtpFormat> firstCommonCodec() {
        return formats.stream().filter(f -> SUPPORTED.stream().anyMatch(f::sameCodec)).findFirst();
    }

    /** RFC 4733 events at 8 kHz, the G.711 clock; Chromium also offers them at 48 kHz for Opus. */
    public java.util.Optional<RtpFormat> telephoneEvent() {
        return formats.stream().filter(f -> f.isTelephoneEvent() && f.clockRate() == 8000).findFirst();
    }

    /** A copy with another direction and the next session version, as a re-offer must carry (RFC 3264 8). */
    public AudioSdp withDirection(MediaDirection newDirection) {
        return new AudioSdp(address, port, formats, newDirection, ptime, sessionId, sessionVersion + 1, secure, crypto);
    }

    /** A copy with the next session version and nothing else changed. */
    public AudioSdp nextVersion() {
        return withDirection(direction);
    }

    /** The SDP text (RFC 4566), CRLF line ends. */
    public String format() {
        String addrType = address.contains(":") ? "IP6" : "IP4";
        StringBuilder b = new StringBuilder(256);
        line(b, "v=0");
        line(b, "o=opendialer " + sessionId + " " + sessionVersion + " IN " + addrType + " " + address);
        line(b, "s=opendialer");
        line(b, "c=IN " + addrType + " " + address);
        line(b, "t=0 0");
        StringBuilder m = new StringBuilder("m=audio ").append(port).append(secure ? " RTP/SAVP" : " RTP/AVP");
        formats.forEach(f -> m.append(' ').append(f.payloadType()));
        line(b, m.toString());
        for (RtpFormat f : formats) {
            line(b, "a=rtpmap:" + f.rtpmapValue());
            if (f.fmtp() != null) {
                line(b, "a=fmtp:" + f.payloadType() + " " + f.fmtp());
            }
        }
        if (ptime > 0) {
            line(b, "a=ptime:" + ptime);
        }
        line(b, "a=" + direction.attribute());
        if (crypto != null) {
            line(b, "a=crypto:" + crypto.attribute());
        }
        return b.toString();
    }

    private static void line(StringBuilder b, String text) {
        b.append(text).append("\r\n");
    }

    /**
     * Parses the first active audio stream of an SDP body. Accepts LF or CRLF line ends, session- or
     * media-level {@code c=} and direction, static payload types without rtpmap, and ignores everything
     * else (ICE, crypto, video streams).
     *
     * @throws SipAgentException with {@code INVALID_SDP} when there is no usable audio stream
     */
    public static AudioSdp parse(String sdp) {
        try {
            return parseAudio(sdp);
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
    }

    private static AudioSdp parseAudio(String sdp) {
        if (sdp == null || sdp.isBlank()) {
            throw invalid("empty body");
        }
        String sessionAddress = null;
        String mediaAddress = null;
        MediaDirection sessionDirection = null;
        MediaDirection mediaDirection = null;
        long sessionId = 0;
        long sessionVersion = 0;
        int port = -1;
        int ptime = 0;
        List<Integer> payloadTypes = null;
        Map<Integer, RtpFormat> rtpmaps = new LinkedHashMap<>();
        Map<Integer, String> fmtps = new LinkedHashMap<>();
        boolean inAudio = false;
        boolean audioDone = false;
        boolean seenMedia = false;
        boolean secure = false;
        SdesCrypto crypto = null;
        for (String raw : sdp.split("\r?\n")) {
            String line = raw.strip();
            if (line.length() < 2 || line.charAt(1) != '=') {
                continue;
            }
            char type = line.charAt(0);
            String value = line.substring(2);
            if (type == 'm') {
                seenMedia = true;
                if (inAudio) {
                    audioDone = true;
                }
                inAudio = false;
                String[] parts = value.split(" +");
                if (!audioDone && parts.length >= 3 && parts[0].equals("audio") && parts[2].contains("RTP/")) {
                    int p = parseInt(parts[1].split("/")[0], "m= port");
                    if (p == 0) {
                        continue; // a rejected or disabled stream; look for another
                    }
                    port = p;
                    inAudio = true;
                    secure = parts[2].equals("RTP/SAVP"); // SDES; DTLS-SRTP profiles are not ours to answer
                    payloadTypes = new ArrayList<>();
                    for (int i = 3; i < parts.length; i++) {
                        int pt = parseInt(parts[i], "payload type");
                        if (pt < 0 || pt > 127) {
                            throw invalid("payload type out of range: " + pt);
                        }
                        payloadTypes.add(pt);
                    }
                }
                continue;
            }
            if (audioDone || (seenMedia && !inAudio)) {
                continue;
            }
            switch (type) {
                case 'o' -> {
                    String[] parts = value.split(" +");
                    if (parts.length >= 3) {
                        sessionId = parseLongLenient(parts[1]);
                        sessionVersion = parseLongLenient(parts[2]);
                    }
                }
                case 'c' -> {
                    String[] parts = value.split(" +");
                    if (parts.length < 3) {
                        throw invalid("bad c= line: " + value);
                    }
                    String addr = parts[2].split("/")[0];
                    if (inAudio) {
                        mediaAddress = addr;
                    } else {
                        sessionAddress = addr;
                    }
                }
                case 'a' -> {
                    int colon = value.indexOf(':');
                    String name = colon < 0 ? value : value.substring(0, colon);
                    String arg = colon < 0 ? "" : value.substring(colon + 1).strip();
                    MediaDirection d = MediaDirection.fromAttribute(name);
                    if (d != null) {
                        if (inAudio) {
                            mediaDirection = d;
                        } else {
                            sessionDirection = d;
                        }
                    } else if (inAudio && name.equals("rtpmap")) {
                        parseRtpmap(arg, rtpmaps);
                    } else if (inAudio && name.equals("fmtp")) {
                        int sp = arg.indexOf(' ');
                        if (sp > 0) {
                            fmtps.put(parseInt(arg.substring(0, sp), "fmtp payload type"), arg.substring(sp + 1).strip());
                        }
                    } else if (inAudio && name.equals("crypto") && crypto == null) {
                        crypto = SdesCrypto.parse(arg).orElse(null); // the first usable one, in offer order
                    } else if (name.equals("ptime")) {
                        ptime = parseInt(arg, "ptime");
                    }
                }
                default -> { }
            }
        }
        if (payloadTypes == null) {
            throw invalid("no active audio stream");
        }
        String address = mediaAddress != null ? mediaAddress : sessionAddress;
        if (address == null) {
            throw invalid("no c= line for the audio stream");
        }
        List<RtpFormat> formats = new ArrayList<>();
        for (int pt : payloadTypes) {
            RtpFormat f = rtpmaps.containsKey(pt) ? rtpmaps.get(pt) : RtpFormat.staticType(pt);
            if (f == null) {
                continue; // a dynamic type without rtpmap: unusable, RFC 4566 requires the mapping
            }
            String fmtp = fmtps.get(pt);
            formats.add(fmtp == null ? f : new RtpFormat(f.payloadType(), f.encoding(), f.clockRate(), fmtp));
        }
        MediaDirection direction = mediaDirection != null ? mediaDirection
                : sessionDirection != null ? sessionDirection : MediaDirection.SENDRECV;
        return new AudioSdp(address, port, formats, direction, ptime, sessionId, sessionVersion, secure, crypto);
    }

    private static void parseRtpmap(String arg, Map<Integer, RtpFormat> rtpmaps) {
        String[] parts = arg.split(" +", 2);
        if (parts.length < 2) {
            throw invalid("bad rtpmap: " + arg);
        }
        int pt = parseInt(parts[0], "rtpmap payload type");
        String[] enc = parts[1].split("/");
        int rate = enc.length > 1 ? parseInt(enc[1], "clock rate") : 8000;
        rtpmaps.put(pt, new RtpFormat(pt, enc[0], rate, null));
    }

    private static int parseInt(String s, String what) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw invalid("bad " + what + ": " + s);
        }
    }

    private static long parseLongLenient(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0; // o= ids may exceed 64 bits (Chromium's do not, some phones' do); they are opaque here
        }
    }

    private static SipAgentException invalid(String message) {
        return new SipAgentException(SipAgentException.Reason.INVALID_SDP, message);
    }
}
