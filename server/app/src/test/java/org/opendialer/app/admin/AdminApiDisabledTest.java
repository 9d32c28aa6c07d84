package org.opendialer.app.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendialer.core.accounts.AccountService;
import org.opendialer.core.accounts.CallLog;
import org.opendialer.core.accounts.Database;
import org.opendialer.core.accounts.PasswordHasher;

class AdminApiDisabledTest {

    @Test
    void withoutAdminKey_everyRouteAnswers404AdminApiDisabled_whateverKeyIsSent(@TempDir Path dir) throws Exception {
        try (Database db = Database.open("jdbc:h2:file:" + dir.resolve("admin"), null, null)) {
            AccountService accounts = new AccountService(db, Clock.systemUTC(), Duration.ofMinutes(30),
                    Duration.ofMinutes(10), PasswordHasher.forTests());
            Javalin server = Javalin.create(config -> AdminApi.register(config, accounts, new CallLog(db), null))
                    .start("127.0.0.1", 0);
            try {
                HttpClient http = HttpClient.newHttpClient();
                String[][] routes = {
                    {"POST", "/users"}, {"GET", "/users"}, {"GET", "/users/alice"}, {"PATCH", "/users/alice"},
                    {"DELETE", "/users/alice"}, {"POST", "/users/alice/tokens"}, {"GET", "/calls"},
                };
                for (String[] route : routes) {
                    for (String key : new String[] {null, "", "some-key"}) {
                        HttpRequest.Builder request = HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + server.port() + "/api/v1" + route[1]))
                                .method(route[0], BodyPublishers.ofString(AdminApiContract.ALICE));
                        if (key != null) {
                            request.header("Authorization", "Bearer " + key);
                        }
                        HttpResponse<String> response = http.send(request.build(), BodyHandlers.ofString());
                        assertThat(response.statusCode()).as("%s %s", route[0], route[1]).isEqualTo(404);
                        JsonNode body = new ObjectMapper().readTree(response.body());
                        assertThat(body.get("error").asText()).isEqualTo("admin_api_disabled");
                        assertThat(body.get("message").asText()).contains("disabled");
                    }
                }
                assertThat(accounts.hasUsers()).isFalse();
            } finally {
                server.stop();
            }
        }
    }
}
