package org.opendialer.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

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
}
