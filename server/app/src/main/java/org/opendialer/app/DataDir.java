package org.opendialer.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Set;
import org.opendialer.core.accounts.SecretBox;
import org.opendialer.core.config.GatewayConfig;

/**
 * The gateway's own directory: created 0700, its files (the H2 database, the key file) 0600, set
 * explicitly rather than left to the umask, so no other local user can read them. On a file system
 * without POSIX permissions (Windows) the permissions are left as they are.
 */
final class DataDir {
    static final String KEY_FILE = "secret.key";
    static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private DataDir() {}

    /** Creates the directory (0700) or tightens an existing one to 0700. */
    static void prepare(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            if (posix(dir.toAbsolutePath().getParent())) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR));
            } else {
                Files.createDirectories(dir);
            }
        }
        if (posix(dir)) {
            Files.setPosixFilePermissions(dir, DIR);
        }
    }

    /** Sets every regular file directly in the directory (the database and its lock, trace and key files) to 0600. */
    static void protectFiles(Path dir) throws IOException {
        if (!posix(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                if (Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.setPosixFilePermissions(file, FILE);
                }
            }
        }
    }

    /**
     * The key PBX passwords are sealed with: DIALER_SECRET_KEY when set, else {@code secret.key} in the
     * data directory, created (0600, 32 random bytes in base64) at first start.
     */
    static SecretBox secretBox(GatewayConfig config) throws IOException {
        if (config.security().secretKey().isPresent()) {
            return new SecretBox(config.security().secretKey().get());
        }
        Path file = config.dataDir().resolve(KEY_FILE);
        if (!Files.exists(file)) {
            byte[] key = SecretBox.randomKey();
            try {
                if (posix(config.dataDir())) {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
                } else {
                    Files.createFile(file);
                }
                Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
            } catch (FileAlreadyExistsException e) {
                // Another process (a `user add` next to `start`) made it first: use theirs.
            }
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
        } catch (IllegalArgumentException e) {
            key = new byte[0];
        }
        if (key.length != 32) {
            throw new IOException(file + " is not the base64 of a 32-byte key; restore it from a backup"
                    + " (PBX passwords sealed with it cannot be read without it)");
        }
        return new SecretBox(key);
    }

    private static boolean posix(Path path) {
        try {
            return path != null && Files.exists(path) && Files.getFileStore(path).supportsFileAttributeView("posix");
        } catch (IOException e) {
            return false;
        }
    }
}
