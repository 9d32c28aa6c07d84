#!/usr/bin/env python3
"""Writes a pcap of RTP packets carrying a G.711 tone, for SIPp's play_pcap_audio (early media in tests).

usage: tone-pcap.py OUT.pcap FREQ_HZ SECONDS pcmu|pcma

The pcaps shipped with SIPp (/usr/share/sip-tester) are speech or 20 s long; a test needs a short tone it can
detect with a Goertzel filter. Ethernet/IPv4/UDP framing as SIPp expects; 20 ms packets, payload type 0 or 8.
"""
import math
import struct
import sys


def linear_to_ulaw(sample: int) -> int:
    # G.711 mu-law (ITU-T G.711 table 2a), from a 16-bit sample.
    bias, clip = 0x84, 32635
    sign = 0x80 if sample < 0 else 0
    sample = min(abs(sample), clip) + bias
    exponent = 7
    mask = 0x4000
    while exponent > 0 and not sample & mask:
        exponent -= 1
        mask >>= 1
    mantissa = (sample >> (exponent + 3)) & 0x0F
    return ~(sign | exponent << 4 | mantissa) & 0xFF


def linear_to_alaw(sample: int) -> int:
    # G.711 A-law (ITU-T G.711 table 1a), from a 16-bit sample.
    sign = 0x80 if sample >= 0 else 0
    sample = min(abs(sample) >> 3, 0xFFF)
    if sample < 32:
        byte = sample >> 1
    else:
        exponent = sample.bit_length() - 5
        byte = exponent << 4 | (sample >> exponent) & 0x0F
    return (byte | sign) ^ 0x55


def main() -> None:
    out, freq, seconds, law = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    encode, pt = (linear_to_ulaw, 0) if law == "pcmu" else (linear_to_alaw, 8)
    packets = int(seconds * 50)
    with open(out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for n in range(packets):
            payload = bytes(encode(int(16000 * math.sin(2 * math.pi * freq * (n * 160 + i) / 8000)))
                            for i in range(160))
            rtp = struct.pack("!BBHII", 0x80, pt, n, n * 160, 0x5EED) + payload
            udp = struct.pack("!HHHH", 6000, 6002, 8 + len(rtp), 0) + rtp
            ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), n, 0, 64, 17, 0,
                             bytes([127, 0, 0, 1]), bytes([127, 0, 0, 1])) + udp
            frame = b"\0" * 12 + b"\x08\x00" + ip
            t = n * 0.02
            f.write(struct.pack("<IIII", int(t), int((t % 1) * 1e6), len(frame), len(frame)) + frame)


if __name__ == "__main__":
    main()
