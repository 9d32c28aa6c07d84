package org.opendialer.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeConfigTest {

    @Test
    void defaults_areTheHostNameAndTenMinutesOfDraining() {
        NodeConfig c = NodeConfig.from(Map.of());

        assertThat(c.name()).isEqualTo(NodeConfig.hostName()).matches("[A-Za-z0-9._-]{1,64}");
        assertThat(c.drainTimeout()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void setValues_areTaken() {
        NodeConfig c = NodeConfig.from(Map.of("DIALER_NODE_NAME", "gw-2.eu", "DIALER_DRAIN_TIMEOUT_S", "0"));

        assertThat(c.name()).isEqualTo("gw-2.eu");
        assertThat(c.drainTimeout()).isZero();
    }

    @Test
    void badValues_areRefusedNamingTheSetting() {
        assertThatThrownBy(() -> NodeConfig.from(Map.of("DIALER_NODE_NAME", "gw 2")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("DIALER_NODE_NAME");
        assertThatThrownBy(() -> NodeConfig.from(Map.of("DIALER_NODE_NAME", "x".repeat(65))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("DIALER_NODE_NAME");
        for (String bad : new String[] {"-1", "ten", "86401", "1.5"}) {
            assertThatThrownBy(() -> NodeConfig.from(Map.of("DIALER_DRAIN_TIMEOUT_S", bad)))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("DIALER_DRAIN_TIMEOUT_S");
        }
    }
}
