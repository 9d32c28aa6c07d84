package org.opendialer.loadgen;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Bencoding (the rtpengine ng protocol's encoding): strings, integers, lists, dictionaries. */
final class Bencode {
    private Bencode() {
    }

    static byte[] encode(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, value);
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, Object value) {
        if (value instanceof String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.writeBytes((b.length + ":").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(b);
        } else if (value instanceof Number n) {
            out.writeBytes(("i" + n.longValue() + "e").getBytes(StandardCharsets.US_ASCII));
        } else if (value instanceof List<?> list) {
            out.write('l');
            for (Object o : list) {
                write(out, o);
            }
            out.write('e');
        } else if (value instanceof Map<?, ?> map) {
            out.write('d');
            for (Map.Entry<?, ?> e : new TreeMap<>(map).entrySet()) { // keys sorted, as bencoding requires
                write(out, (String) e.getKey());
                write(out, e.getValue());
            }
            out.write('e');
        } else {
            throw new IllegalArgumentException("cannot bencode " + value);
        }
    }

    static Object decode(byte[] b, int off, int len) {
        int[] pos = {off};
        Object v = read(b, pos, off + len);
        return v;
    }

    private static Object read(byte[] b, int[] pos, int end) {
        if (pos[0] >= end) {
            throw new IllegalArgumentException("truncated bencoding");
        }
        byte c = b[pos[0]];
        if (c == 'i') {
            int e = indexOf(b, 'e', pos[0], end);
            long v = Long.parseLong(new String(b, pos[0] + 1, e - pos[0] - 1, StandardCharsets.US_ASCII));
            pos[0] = e + 1;
            return v;
        }
        if (c == 'l') {
            pos[0]++;
            List<Object> list = new ArrayList<>();
            while (b[pos[0]] != 'e') {
                list.add(read(b, pos, end));
            }
            pos[0]++;
            return list;
        }
        if (c == 'd') {
            pos[0]++;
            Map<String, Object> map = new LinkedHashMap<>();
            while (b[pos[0]] != 'e') {
                String k = (String) read(b, pos, end);
                map.put(k, read(b, pos, end));
            }
            pos[0]++;
            return map;
        }
        int colon = indexOf(b, ':', pos[0], end);
        int n = Integer.parseInt(new String(b, pos[0], colon - pos[0], StandardCharsets.US_ASCII));
        String s = new String(b, colon + 1, n, StandardCharsets.UTF_8);
        pos[0] = colon + 1 + n;
        return s;
    }

    private static int indexOf(byte[] b, char c, int from, int end) {
        for (int i = from; i < end; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        throw new IllegalArgumentException("no '" + c + "' in bencoding");
    }
}
