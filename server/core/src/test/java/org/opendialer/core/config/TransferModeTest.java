package org.opendialer.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TransferModeTest {
    @Test
    void dialerTransfer_defaultsToBridge_takesRefer_andRefusesAnythingElseByName() {
        assertThat(GatewayConfig.from(Map.of()).calls().transfer()).isEqualTo(TransferMode.BRIDGE);
        assertThat(GatewayConfig.from(Map.of("DIALER_TRANSFER", " REFER ")).calls().transfer())
                .isEqualTo(TransferMode.REFER);
        assertThat(GatewayConfig.from(Map.of("DIALER_TRANSFER", "bridge")).calls().transfer())
                .isEqualTo(TransferMode.BRIDGE);
        assertThatThrownBy(() -> GatewayConfig.from(Map.of("DIALER_TRANSFER", "blind")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("DIALER_TRANSFER")
                .hasMessageContaining("neither bridge nor refer");
    }
}
