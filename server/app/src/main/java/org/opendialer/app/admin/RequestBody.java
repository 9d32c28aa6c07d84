package org.opendialer.app.admin;

import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads a request body of at most 64 KiB, answering 413 beyond that without reading it all. */
final class RequestBody {

    static final int MAX_BYTES = 64 * 1024;

    private RequestBody() {}

    static byte[] read(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_BYTES) {
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

    private static ApiError tooLarge() {
        return new ApiError(413, "payload_too_large", "request body exceeds " + MAX_BYTES + " bytes");
    }
}
