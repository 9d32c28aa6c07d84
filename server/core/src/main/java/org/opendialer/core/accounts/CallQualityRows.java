package org.opendialer.core.accounts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import org.opendialer.media.quality.LegSummary;
import org.opendialer.media.quality.QualitySummary;

/**
 * The {@code call_quality} table (V5_4): one row per answered call, written at its end. {@code Double.NaN}
 * (a figure never known) is stored as NULL and read back as NaN.
 */
public final class CallQualityRows {
    /** The columns, in the order {@link #read} expects them after its offset. */
    public static final String COLUMNS = "q.samples, q.mos_min, q.mos_avg, q.browser_samples, q.browser_mos_min,"
            + " q.browser_mos_avg, q.browser_loss_avg, q.browser_loss_max, q.browser_jitter_avg, q.browser_jitter_max,"
            + " q.browser_rtt_avg, q.sip_samples, q.sip_mos_min, q.sip_mos_avg, q.sip_loss_avg, q.sip_loss_max,"
            + " q.sip_jitter_avg, q.sip_jitter_max, q.sip_rtt_avg";

    private CallQualityRows() {
    }

    /** Inserts {@code callId}'s summary (once: a second one for the same call is a primary-key error). */
    public static void insert(Connection c, String callId, QualitySummary q) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO call_quality (call_id, " + COLUMNS.replace("q.", "")
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            st.setString(1, callId);
            st.setInt(2, q.samples());
            setDouble(st, 3, q.mosMin());
            setDouble(st, 4, q.mosAvg());
            setLeg(st, 5, q.browser());
            setLeg(st, 13, q.sip());
            st.executeUpdate();
        }
    }

    /** The summary from {@link #COLUMNS} starting at column {@code first}, or null when the row has none. */
    public static QualitySummary read(ResultSet rs, int first) throws SQLException {
        int samples = rs.getInt(first);
        if (rs.wasNull()) {
            return null;
        }
        return new QualitySummary(samples, getDouble(rs, first + 1), getDouble(rs, first + 2), leg(rs, first + 3),
                leg(rs, first + 11));
    }

    private static void setLeg(PreparedStatement st, int first, LegSummary leg) throws SQLException {
        if (leg == null) {
            for (int i = 0; i < 8; i++) {
                st.setNull(first + i, i == 0 ? Types.INTEGER : Types.DOUBLE);
            }
            return;
        }
        st.setInt(first, leg.samples());
        double[] figures = {leg.mosMin(), leg.mosAvg(), leg.packetLossAvgPct(), leg.packetLossMaxPct(),
                leg.jitterAvgMs(), leg.jitterMaxMs(), leg.rttAvgMs()};
        for (int i = 0; i < figures.length; i++) {
            setDouble(st, first + 1 + i, figures[i]);
        }
    }

    private static LegSummary leg(ResultSet rs, int first) throws SQLException {
        int samples = rs.getInt(first);
        if (rs.wasNull()) {
            return null;
        }
        return new LegSummary(samples, getDouble(rs, first + 1), getDouble(rs, first + 2), getDouble(rs, first + 3),
                getDouble(rs, first + 4), getDouble(rs, first + 5), getDouble(rs, first + 6), getDouble(rs, first + 7));
    }

    private static void setDouble(PreparedStatement st, int index, double v) throws SQLException {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            st.setNull(index, Types.DOUBLE);
        } else {
            st.setDouble(index, v);
        }
    }

    private static double getDouble(ResultSet rs, int index) throws SQLException {
        double v = rs.getDouble(index);
        return rs.wasNull() ? Double.NaN : v;
    }
}
