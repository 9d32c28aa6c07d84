package org.opendialer.app.ws;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Set;

/** Parses request frames and writes response and event frames (docs/protocol.md, part 2). */
public final class ProtocolCodec {

    public static final int MAX_FRAME_BYTES = 64 * 1024;
    public static final int MAX_ID_LENGTH = 64;
    private static final int VERSION = 1;
    private static final Set<String> ENVELOPE_FIELDS = Set.of("v", "type", "id", "method", "params");

    private final ObjectMapper mapper;

    public ProtocolCodec() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(32)
                        .maxNumberLength(32)
                        .maxStringLength(MAX_FRAME_BYTES)
                        .build())
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.mapper = new ObjectMapper(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** Returns the request in {@code frame}, or throws {@link BadFrameException} saying what is wrong. */
    public WsRequest parse(String frame) {
        if (frame.length() > MAX_FRAME_BYTES
                || frame.getBytes(StandardCharsets.UTF_8).length > MAX_FRAME_BYTES) {
            throw new BadFrameException(null, "Frame is larger than " + MAX_FRAME_BYTES + " bytes.");
        }
        JsonNode root;
        try {
            root = mapper.readTree(frame);
        } catch (JsonProcessingException e) {
            throw new BadFrameException(null, "Frame is not valid JSON.");
        }
        if (root == null || !root.isObject()) {
            throw new BadFrameException(null, "Frame must be a JSON object.");
        }
        String id = readId(root.get("id"));
        if (id == null) {
            throw new BadFrameException(null, "Request needs an id: a string of 1 to "
                    + MAX_ID_LENGTH + " characters.");
        }
        JsonNode v = root.get("v");
        if (v == null || !v.isInt() || v.intValue() != VERSION) {
            throw new BadFrameException(id, "Unsupported protocol version; expected v: " + VERSION + ".");
        }
        JsonNode type = root.get("type");
        if (type == null || !type.isTextual() || !type.textValue().equals("request")) {
            throw new BadFrameException(id, "Frame type must be \"request\".");
        }
        JsonNode method = root.get("method");
        if (method == null || !method.isTextual() || method.textValue().isEmpty()
                || method.textValue().length() > MAX_ID_LENGTH) {
            throw new BadFrameException(id, "Request needs a method name.");
        }
        JsonNode params = root.get("params");
        if (params == null || !params.isObject()) {
            throw new BadFrameException(id, "Request params must be a JSON object.");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!ENVELOPE_FIELDS.contains(name)) {
                throw new BadFrameException(id, "Unknown request field \"" + abbreviate(name) + "\".");
            }
        }
        return new WsRequest(id, method.textValue(), (ObjectNode) params);
    }

    public String success(String id, Object result) {
        ObjectNode frame = header("response");
        frame.put("id", id);
        frame.put("ok", true);
        frame.set("result", mapper.valueToTree(result));
        return write(frame);
    }

    public String error(String id, ErrorCode code, String message) {
        ObjectNode frame = header("response");
        frame.put("id", id);
        frame.put("ok", false);
        ObjectNode error = frame.putObject("error");
        error.put("code", code.wire());
        error.put("message", message);
        return write(frame);
    }

    /** An event frame; {@code event} must serialise to an object with a {@code type}. */
    public String event(Object event) {
        ObjectNode frame = header("event");
        frame.set("event", mapper.valueToTree(event));
        return write(frame);
    }

    private ObjectNode header(String type) {
        ObjectNode frame = mapper.createObjectNode();
        frame.put("v", VERSION);
        frame.put("type", type);
        return frame;
    }

    private String write(ObjectNode frame) {
        try {
            return mapper.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a frame", e);
        }
    }

    private static String readId(JsonNode id) {
        if (id == null || !id.isTextual()) {
            return null;
        }
        String text = id.textValue();
        return text.isEmpty() || text.length() > MAX_ID_LENGTH ? null : text;
    }

    private static String abbreviate(String name) {
        return name.length() <= 32 ? name : name.substring(0, 32) + "…";
    }
}
