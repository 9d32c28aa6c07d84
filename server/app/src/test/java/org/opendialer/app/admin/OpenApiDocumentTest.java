package org.opendialer.app.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OpenApiDocumentTest {

    @Test
    void openapiYaml_isOnTheClassPathAndDescribesEveryAdminRoute() throws Exception {
        String yaml;
        try (InputStream in = AdminApi.class.getResourceAsStream("/openapi.yaml")) {
            assertThat(in).as("openapi.yaml on the class path").isNotNull();
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(yaml).startsWith("openapi: 3.").contains("url: /api/v1");
        assertThat(yaml).contains("\n  /users:\n    post:", "\n    get:", "\n  /users/{username}:\n",
                "\n    patch:", "\n    delete:", "\n  /users/{username}/tokens:\n", "\n  /calls:\n    get:");
        for (String code : new String[] {"bad_request", "unauthorized", "not_found", "admin_api_disabled",
                "duplicate_username", "duplicate_extension", "duplicate_number", "payload_too_large"}) {
            assertThat(yaml).as("error code %s documented", code).contains(code);
        }
    }
}
