package org.opendialer.app.http;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** Serves files from one directory, with no way out of it (no "..", no hidden files, no symlink escape). */
public final class StaticFiles {
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html;charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("cjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json;charset=utf-8"),
            Map.entry("map", "application/json;charset=utf-8"),
            Map.entry("ts", "text/plain; charset=utf-8"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("wav", "audio/wav"),
            Map.entry("mp3", "audio/mpeg"),
            Map.entry("ogg", "audio/ogg"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("webmanifest", "application/manifest+json"));

    private final Path root;

    public StaticFiles(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** The regular file at {@code relative} inside the root, if there is one and it may be served. */
    public Optional<Path> resolve(String relative) {
        if (relative.isEmpty() || relative.contains("\\") || relative.contains("\0")) {
            return Optional.empty();
        }
        for (String segment : relative.split("/")) {
            if (segment.isEmpty() || segment.startsWith(".")) {
                return Optional.empty();
            }
        }
        Path file = root.resolve(relative).normalize();
        try {
            if (!file.startsWith(root) || !Files.isRegularFile(file)
                    || !file.toRealPath().startsWith(root.toRealPath())) {
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of(file);
    }

    /** Sends {@code relative} or a 404; {@code htmlFilter} rewrites the text of .html files. */
    public void serve(Context ctx, String relative, String cacheControl, UnaryOperator<String> htmlFilter)
            throws IOException {
        Optional<Path> file = resolve(relative);
        if (file.isEmpty()) {
            ctx.status(HttpStatus.NOT_FOUND).contentType("text/plain; charset=utf-8")
                    .result("Not found: " + ctx.path() + "\n");
            return;
        }
        String type = contentType(file.get());
        boolean html = type.startsWith("text/html");
        // HTML is small and filtered (the dialer's config goes into it), so its ETag is of what is sent.
        String page = html ? htmlFilter.apply(Files.readString(file.get(), StandardCharsets.UTF_8)) : null;
        String etag = html
                ? "W/\"h" + Integer.toHexString(page.hashCode()) + "-" + page.length() + "\""
                : "W/\"" + Files.size(file.get()) + "-" + Files.getLastModifiedTime(file.get()).toMillis() + "\"";
        ctx.header("Cache-Control", cacheControl);
        ctx.header("ETag", etag);
        ctx.header("X-Content-Type-Options", "nosniff");
        if (etag.equals(ctx.header("If-None-Match"))) {
            ctx.status(HttpStatus.NOT_MODIFIED);
            return;
        }
        ctx.contentType(type);
        if (html) {
            ctx.result(page);
        } else {
            ctx.result(Files.readAllBytes(file.get()));
        }
    }

    static String contentType(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1);
        return TYPES.getOrDefault(extension, "application/octet-stream");
    }
}
