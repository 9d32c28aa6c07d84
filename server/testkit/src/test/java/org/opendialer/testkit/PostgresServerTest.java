package org.opendialer.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresServerTest {

    @Test
    void start_listensOnLoopback_andCloseStopsTheProcessAndFreesThePort() throws Exception {
        PostgresServer server = PostgresServer.start("launcher_check");
        long pid = server.pid();
        int port = server.port();
        try {
            assertThat(server.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + port + "/launcher_check");
            assertThat(server.user()).isEqualTo("opendialer");
            assertThat(server.password()).hasSize(36);
            assertThat(ProcessHandle.of(pid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                assertThat(socket.isConnected()).isTrue();
            }
        } finally {
            server.close();
        }

        Optional<ProcessHandle> after = ProcessHandle.of(pid);
        assertThat(after.isEmpty() || !after.get().isAlive()).as("postmaster %d still running", pid).isTrue();
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close()).isInstanceOf(IOException.class);
    }

    @Test
    void twoServers_runSideBySideOnDifferentPorts() {
        long start = System.nanoTime();
        try (PostgresServer a = PostgresServer.start(); PostgresServer b = PostgresServer.start()) {
            assertThat(a.port()).isNotEqualTo(b.port());
            assertThat(a.password()).isNotEqualTo(b.password());
        }
        System.out.println("two PostgreSQL servers started and stopped in "
                + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");
    }

    @Test
    void findBinDir_withoutInstalledPostgres_failsWithInstallHint(@TempDir Path emptyRoot) {
        assertThatThrownBy(() -> PostgresServer.findBinDir(null, emptyRoot))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("PostgreSQL server binaries not found")
                .hasMessageContaining("apt-get install -y postgresql");
        assertThatThrownBy(() -> PostgresServer.findBinDir(emptyRoot.toString(), emptyRoot))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not contain postgres and initdb");
    }

    @Test
    void findBinDir_picksTheHighestInstalledVersion(@TempDir Path root) throws Exception {
        for (String version : new String[] {"9.6", "15", "13"}) {
            Path bin = Files.createDirectories(root.resolve(version).resolve("bin"));
            for (String tool : new String[] {"postgres", "initdb"}) {
                Files.writeString(bin.resolve(tool), "#!/bin/sh\n");
                assertThat(bin.resolve(tool).toFile().setExecutable(true)).isTrue();
            }
        }
        Files.createDirectories(root.resolve("16").resolve("bin"));  // client-only install: no server binaries

        assertThat(PostgresServer.findBinDir(null, root)).isEqualTo(root.resolve("15").resolve("bin"));
    }
}
