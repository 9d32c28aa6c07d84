package org.opendialer.app.admin;

import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a request body of at most 64 KiB and answers 413 beyond that. A body of up to 1 MiB is drained
 * first, so the client (still sending) reliably reads the 413 instead of a reset connection; a larger one
 * is not read at all.
 */
final class RequestBody {

    static final int MAX_BYTES = 64 * 1024;
    private static final long MAX_DRAINED = 1024 * 1024;

    private RequestBody() {}

    static byte[] read(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_BYTES) {
            if (declared <= MAX_DRAINED) {
                drain(ctx);
            }
            throw tooLarge();
        }
        try (InputStream in = ctx.bodyInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) != -1) {
                out.write(buffer, 0, n);
                if (out.size() > MAX_BYTES) {
                    throw tooLarge();
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new ApiError(400, "bad_request", "could not read the request body");
        }
    }

    private static void drain(Context ctx) {
        try (InputStream in = ctx.bodyInputStream()) {
            byte[] sink = new byte[8192];
            long left = MAX_DRAINED;
            int n;
            while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) != -1) {
                left -= n;
            }
        } catch (IOException e) {
            // the 413 goes out anyway
        }
    }

    private static ApiError tooLarge() {
        return new ApiError(413, "payload_too_large", "request body exceeds " + MAX_BYTES + " bytes");
    }
}
