package org.opendialer.app.ws;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.opendialer.media.quality.LegQuality;
import org.opendialer.media.quality.LegSummary;
import org.opendialer.media.quality.QualitySummary;

/**
 * Call quality on the wire (docs/call-quality.md): the SIP leg's figures sent to the dialer, and a call's
 * summary in the admin API's call log and the call.ended webhook. A figure never known is null.
 */
public final class QualityWire {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private QualityWire() {
    }

    /** {@code {type:"sipQuality", call_id, mos, jitter_ms, packet_loss_pct, rtt_ms}} (protocol.md part 4). */
    public static ObjectNode sipQuality(String callId, LegQuality q) {
        ObjectNode node = NODES.objectNode();
        node.put("type", "sipQuality");
        node.put("call_id", callId);
        put(node, "mos", q.mos());
        put(node, "jitter_ms", q.jitterMs());
        put(node, "packet_loss_pct", q.packetLossPct());
        put(node, "rtt_ms", q.rttMs());
        return node;
    }

    /** {@code {samples, mos_min, mos_avg, legs: {browser: {...}, sip: {...} | null}}}. */
    public static ObjectNode summary(QualitySummary q) {
        ObjectNode node = NODES.objectNode();
        node.put("samples", q.samples());
        put(node, "mos_min", q.mosMin());
        put(node, "mos_avg", q.mosAvg());
        ObjectNode legs = node.putObject("legs");
        legs.set("browser", leg(q.browser()));
        legs.set("sip", leg(q.sip()));
        return node;
    }

    private static ObjectNode leg(LegSummary leg) {
        if (leg == null) {
            return null;
        }
        ObjectNode node = NODES.objectNode();
        node.put("samples", leg.samples());
        put(node, "mos_min", leg.mosMin());
        put(node, "mos_avg", leg.mosAvg());
        put(node, "packet_loss_pct_avg", leg.packetLossAvgPct());
        put(node, "packet_loss_pct_max", leg.packetLossMaxPct());
        put(node, "jitter_ms_avg", leg.jitterAvgMs());
        put(node, "jitter_ms_max", leg.jitterMaxMs());
        put(node, "rtt_ms_avg", leg.rttAvgMs());
        return node;
    }

    private static void put(ObjectNode node, String name, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            node.putNull(name);
        } else {
            node.put(name, v);
        }
    }
}
