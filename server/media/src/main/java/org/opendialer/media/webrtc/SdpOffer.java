package org.opendialer.media.webrtc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the gateway needs from a browser's SDP offer (RFC 8829 §5.2, RFC 8866): the first audio
 * section's ICE credentials, DTLS fingerprint and role, mid, and the payload type numbers the
 * browser gave PCMU, PCMA and telephone-event/8000. ICE and fingerprint attributes may sit at
 * session level or in the section (RFC 8839 §5.4, RFC 8122 §5); the section's value wins.
 * Other sections (video, data) are remembered only so the answer can reject them.
 */
public final class SdpOffer {
    /** docs/protocol.md part 4: an offer is at most 16 KiB. */
    public static final int MAX_LENGTH = 16 * 1024;

    /** An m= line other than the one used, kept to answer it with port 0 (RFC 8829 §5.3.1). */
    public record OtherSection(String media, String proto, String formats, String mid) {
    }

    private final String iceUfrag;
    private final String icePwd;
    private final String fingerprint;
    private final String setup;
    private final String mid;
    private final String direction;
    private final int pcmuPayloadType;
    private final int pcmaPayloadType;
    private final int telephoneEventPayloadType;
    private final List<OtherSection> otherSectionsBefore;
    private final List<OtherSection> otherSectionsAfter;

    private SdpOffer(String iceUfrag, String icePwd, String fingerprint, String setup, String mid, String direction,
                     int pcmu, int pcma, int events, List<OtherSection> before, List<OtherSection> after) {
        this.iceUfrag = iceUfrag;
        this.icePwd = icePwd;
        this.fingerprint = fingerprint;
        this.setup = setup;
        this.mid = mid;
        this.direction = direction;
        this.pcmuPayloadType = pcmu;
        this.pcmaPayloadType = pcma;
        this.telephoneEventPayloadType = events;
        this.otherSectionsBefore = before;
        this.otherSectionsAfter = after;
    }

    /**
     * @throws SdpException with a message fit for a bad_request answer when the offer cannot be
     *                      used: too long, no audio section, no ICE credentials or sha-256
     *                      fingerprint, a DTLS role that would make us the client, or neither
     *                      PCMU nor PCMA
     */
    public static SdpOffer parse(String sdp) throws SdpException {
        if (sdp == null || sdp.isBlank()) {
            throw new SdpException("empty SDP offer");
        }
        if (sdp.length() > MAX_LENGTH || sdp.getBytes(StandardCharsets.UTF_8).length > MAX_LENGTH) {
            throw new SdpException("SDP offer longer than " + MAX_LENGTH + " bytes");
        }
        String sessionUfrag = null;
        String sessionPwd = null;
        String sessionFingerprint = null;
        String sessionSetup = null;
        String sessionDirection = null;
        boolean inSession = true;
        boolean inAudio = false;
        boolean audioFound = false;
        String ufrag = null;
        String pwd = null;
        String fingerprint = null;
        String setup = null;
        String mid = null;
        String direction = null;
        List<String> formats = List.of();
        int pcmu = -1;
        int pcma = -1;
        int events = -1;
        List<OtherSection> before = new ArrayList<>();
        List<OtherSection> after = new ArrayList<>();
        String[] other = null; // media, proto, formats, mid of the section being read, if not the audio one
        for (String raw : sdp.split("\r?\n")) {
            String line = raw.strip();
            if (line.length() < 2 || line.charAt(1) != '=') {
                continue;
            }
            if (line.startsWith("m=")) {
                if (other != null) {
                    (audioFound ? after : before).add(new OtherSection(other[0], other[1], other[2], other[3]));
                    other = null;
                }
                if (inAudio) {
                    audioFound = true;
                }
                inSession = false;
                inAudio = false;
                String[] m = line.substring(2).trim().split("\\s+");
                boolean usable = m.length >= 4 && m[0].equals("audio") && !m[1].equals("0") && !audioFound
                        && m[2].toUpperCase(Locale.ROOT).contains("SAVP");
                if (usable) {
                    inAudio = true;
                    formats = List.of(m).subList(3, m.length);
                    pcmu = formats.contains("0") ? 0 : -1; // static payload types need no rtpmap (RFC 3551 §6)
                    pcma = formats.contains("8") ? 8 : -1;
                } else {
                    other = new String[] {m.length > 0 ? m[0] : "audio", m.length > 2 ? m[2] : "UDP/TLS/RTP/SAVPF",
                            m.length > 3 ? String.join(" ", List.of(m).subList(3, m.length)) : "0", null};
                }
                continue;
            }
            if (!line.startsWith("a=")) {
                continue;
            }
            String attribute = line.substring(2);
            int colon = attribute.indexOf(':');
            String name = colon < 0 ? attribute : attribute.substring(0, colon);
            String value = colon < 0 ? "" : attribute.substring(colon + 1).trim();
            if (inSession) {
                switch (name) {
                    case "ice-ufrag" -> sessionUfrag = value;
                    case "ice-pwd" -> sessionPwd = value;
                    case "fingerprint" -> sessionFingerprint = sha256(value, sessionFingerprint);
                    case "setup" -> sessionSetup = value;
                    case "sendrecv", "sendonly", "recvonly", "inactive" -> sessionDirection = name;
                    default -> { }
                }
            } else if (inAudio) {
                switch (name) {
                    case "ice-ufrag" -> ufrag = value;
                    case "ice-pwd" -> pwd = value;
                    case "fingerprint" -> fingerprint = sha256(value, fingerprint);
                    case "setup" -> setup = value;
                    case "mid" -> mid = value;
                    case "sendrecv", "sendonly", "recvonly", "inactive" -> direction = name;
                    case "rtpmap" -> {
                        String[] pm = value.split("\\s+", 2);
                        if (pm.length == 2 && formats.contains(pm[0])) {
                            int pt = payloadType(pm[0]);
                            String encoding = pm[1].toLowerCase(Locale.ROOT);
                            if (encoding.equals("pcmu/8000") || encoding.equals("pcmu/8000/1")) {
                                pcmu = pcmu < 0 ? pt : pcmu;
                            } else if (encoding.equals("pcma/8000") || encoding.equals("pcma/8000/1")) {
                                pcma = pcma < 0 ? pt : pcma;
                            } else if (encoding.equals("telephone-event/8000") || encoding.equals("telephone-event/8000/1")) {
                                events = events < 0 ? pt : events;
                            }
                        }
                    }
                    default -> { }
                }
            } else if (other != null && name.equals("mid")) {
                other[3] = value;
            }
        }
        if (other != null) {
            (audioFound || inAudio ? after : before).add(new OtherSection(other[0], other[1], other[2], other[3]));
        }
        if (!inAudio && !audioFound) {
            throw new SdpException("SDP offer has no usable audio section (m=audio with UDP/TLS/RTP/SAVPF and a port)");
        }
        ufrag = ufrag != null ? ufrag : sessionUfrag;
        pwd = pwd != null ? pwd : sessionPwd;
        fingerprint = fingerprint != null ? fingerprint : sessionFingerprint;
        setup = setup != null ? setup : sessionSetup;
        direction = direction != null ? direction : sessionDirection != null ? sessionDirection : "sendrecv";
        if (ufrag == null || ufrag.isEmpty()) {
            throw new SdpException("SDP offer has no a=ice-ufrag");
        }
        if (pwd == null || pwd.isEmpty()) {
            throw new SdpException("SDP offer has no a=ice-pwd");
        }
        if (fingerprint == null) {
            throw new SdpException("SDP offer has no a=fingerprint:sha-256");
        }
        if (setup != null && setup.equalsIgnoreCase("passive")) {
            throw new SdpException("SDP offer has a=setup:passive; the gateway is always the DTLS server");
        }
        if (pcmu < 0 && pcma < 0) {
            throw new SdpException("SDP offer's audio has neither PCMU nor PCMA; the gateway does not transcode");
        }
        return new SdpOffer(ufrag, pwd, fingerprint, setup, mid, direction, pcmu, pcma, events, List.copyOf(before),
                List.copyOf(after));
    }

    /** Keeps the first sha-256 fingerprint, as "sha-256 AB:CD:…"; other hash functions are skipped. */
    private static String sha256(String value, String current) {
        if (current != null) {
            return current;
        }
        String[] parts = value.split("\\s+", 2);
        if (parts.length == 2 && parts[0].equalsIgnoreCase("sha-256") && parts[1].trim().length() == 95) {
            return "sha-256 " + parts[1].trim().toUpperCase(Locale.ROOT);
        }
        return null;
    }

    private static int payloadType(String s) throws SdpException {
        try {
            int pt = Integer.parseInt(s);
            if (pt < 0 || pt > 127) {
                throw new SdpException("payload type out of range: " + s);
            }
            return pt;
        } catch (NumberFormatException e) {
            throw new SdpException("payload type is not a number: " + s);
        }
    }

    public String iceUfrag() {
        return iceUfrag;
    }

    public String icePwd() {
        return icePwd;
    }

    /** "sha-256 AB:CD:…", for {@link WebRtcEndpoint#createLeg}. */
    public String fingerprint() {
        return fingerprint;
    }

    /** a=setup of the offer (actpass, active) or null. */
    public String setup() {
        return setup;
    }

    /** a=mid of the audio section, or null when the offer has none (then there is no BUNDLE). */
    public String mid() {
        return mid;
    }

    /** sendrecv, sendonly, recvonly or inactive, from the browser's point of view. */
    public String direction() {
        return direction;
    }

    /** The browser's payload type for PCMU, or -1. */
    public int pcmuPayloadType() {
        return pcmuPayloadType;
    }

    public int pcmaPayloadType() {
        return pcmaPayloadType;
    }

    public int telephoneEventPayloadType() {
        return telephoneEventPayloadType;
    }

    public List<OtherSection> otherSectionsBefore() {
        return otherSectionsBefore;
    }

    public List<OtherSection> otherSectionsAfter() {
        return otherSectionsAfter;
    }
}
