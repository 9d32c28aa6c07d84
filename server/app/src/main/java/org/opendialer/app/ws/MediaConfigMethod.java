package org.opendialer.app.ws;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import org.opendialer.core.accounts.User;
import org.opendialer.core.config.GatewayConfig;
import org.opendialer.core.config.NetworkConfig;
import org.opendialer.core.ice.TurnCredentials;

/**
 * {@code mediaConfig {}} (protocol.md part 6): what a signed-in dialer needs to reach the gateway's audio
 * from a network that blocks UDP: TURN servers with credentials minted for this user (a fresh pair on
 * every call, so a dialer asks before each call), and the gateway's media ports for the message shown when
 * no path works.
 */
final class MediaConfigMethod implements MethodHandler {
    private final AuthMethods auth;
    private final String address;
    private final int udpPort;
    private final NetworkConfig network;
    private final TurnCredentials turn;
    private final Clock clock;

    MediaConfigMethod(AuthMethods auth, GatewayConfig config, Clock clock) {
        this.auth = auth;
        this.address = config.sip().webRtcAddress();
        this.udpPort = config.sip().webRtcPort();
        this.network = config.network();
        this.turn = network.turnEnabled() ? new TurnCredentials(network.turnSecret().orElseThrow(), network.turnTtl())
                : null;
        this.clock = clock;
    }

    @Override
    public Object handle(DialerConnection connection, ObjectNode params) {
        User user = auth.requireSignedIn(connection);
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        var servers = result.putArray("ice_servers");
        if (turn != null) {
            TurnCredentials.Credential credential = turn.mint(user.id(), clock.instant());
            ObjectNode server = servers.addObject();
            var urls = server.putArray("urls");
            network.turnUrls().forEach(urls::add);
            server.put("username", credential.username()).put("credential", credential.password());
            result.put("ice_servers_expire_at", credential.expires().toString());
        } else {
            result.putNull("ice_servers_expire_at");
        }
        result.putObject("gateway").put("address", address).put("udp_port", udpPort)
                .put("tcp_port", network.webRtcTcpPort()).put("turn", turn != null);
        return result;
    }
}
