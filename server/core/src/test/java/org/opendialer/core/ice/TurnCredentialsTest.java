package org.opendialer.core.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TurnCredentialsTest {
    @Test
    void usernameIsExpiryColonUserId_andPasswordIsBase64HmacSha1OfIt() {
        TurnCredentials turn = new TurnCredentials("s3cret-for-tests", Duration.ofSeconds(3600));
        TurnCredentials.Credential c = turn.mint(42, Instant.ofEpochSecond(1_733_396_400L));
        assertThat(c.username()).isEqualTo("1733400000:42");
        assertThat(c.expires()).isEqualTo(Instant.ofEpochSecond(1_733_400_000L));
        // printf %s 1733400000:42 | openssl dgst -binary -sha1 -hmac s3cret-for-tests | base64
        assertThat(c.password()).isEqualTo("R+91mDsxmTlboJiIXbiokqUoy/o=");
    }

    @Test
    void anotherSecretOrUser_givesAnotherPassword_andToStringHidesIt() {
        Instant now = Instant.ofEpochSecond(1_733_396_400L);
        TurnCredentials.Credential a = new TurnCredentials("s3cret-for-tests", Duration.ofHours(1)).mint(42, now);
        assertThat(new TurnCredentials("other", Duration.ofHours(1)).mint(42, now).password()).isNotEqualTo(a.password());
        assertThat(new TurnCredentials("s3cret-for-tests", Duration.ofHours(1)).mint(43, now).password())
                .isNotEqualTo(a.password());
        assertThat(a.toString()).doesNotContain(a.password());
    }

    @Test
    void refusesAnEmptySecretOrANonPositiveTtl() {
        assertThatThrownBy(() -> new TurnCredentials("", Duration.ofHours(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TurnCredentials("x", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
