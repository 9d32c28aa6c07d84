package org.opendialer.app.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {
    @Test
    void sign_matchesTheStandardWebhooksReferenceVector() {
        // The example of the Standard Webhooks specification and its reference libraries' tests.
        byte[] secret = Base64.getDecoder().decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        String signature = new WebhookSigner(secret).sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L,
                "{\"test\": 2432232314}");
        assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void sign_changesWithTheTimestamp_soAnOldSignatureCannotBeReplayedWithANewTimestamp() {
        WebhookSigner signer = new WebhookSigner(new byte[32]);
        assertThat(signer.sign("msg_1", 1, "{}")).isNotEqualTo(signer.sign("msg_1", 2, "{}"));
    }
}
