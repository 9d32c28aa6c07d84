package org.opendialer.core.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    @Test
    void verify_acceptsHashFromTheArgon2ReferenceImplementation() {
        // echo -n "correct horse battery" | argon2 opendialersalt16 -id -t 2 -m 6 -p 1 -l 32 -e  (Debian package argon2)
        String reference = "$argon2id$v=19$m=64,t=2,p=1$b3BlbmRpYWxlcnNhbHQxNg$35e4287mh5P8jDOvTwZJR5ycAtP5VZHjdigPIWgaBME";
        PasswordHasher hasher = PasswordHasher.forTests();

        assertThat(hasher.verify("correct horse battery", reference)).isTrue();
        assertThat(hasher.verify("correct horse batterY", reference)).isFalse();
    }

    @Test
    void hash_isPhcArgon2idWithParametersAndFreshSalt() {
        PasswordHasher hasher = new PasswordHasher(128, 2, 1);

        String first = hasher.hash("s3cret-password");
        String second = hasher.hash("s3cret-password");

        assertThat(first).matches("\\$argon2id\\$v=19\\$m=128,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(first).isNotEqualTo(second);
        assertThat(hasher.verify("s3cret-password", first)).isTrue();
        assertThat(hasher.verify("s3cret-password", second)).isTrue();
        assertThat(hasher.verify("s3cret-passworD", first)).isFalse();
    }

    @Test
    void verify_usesTheParametersStoredInTheHash() {
        String old = new PasswordHasher(64, 1, 1).hash("password-one");
        PasswordHasher current = new PasswordHasher(256, 3, 2);

        assertThat(current.verify("password-one", old)).isTrue();
        assertThat(current.needsRehash(old)).isTrue();
        assertThat(current.needsRehash(current.hash("password-one"))).isFalse();
    }

    @Test
    void verify_rejectsMalformedOrForeignHashes() {
        PasswordHasher hasher = PasswordHasher.forTests();

        assertThat(hasher.verify("password", "")).isFalse();
        assertThat(hasher.verify("password", "plain-text")).isFalse();
        assertThat(hasher.verify("password", "$2a$10$abcdefghijklmnopqrstuv")).isFalse();
        assertThat(hasher.verify("password", "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA")).isFalse();
        assertThat(hasher.verify("password", "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA")).isFalse();
        assertThat(hasher.verify("password", "$argon2id$v=19$m=64,t=1,p=1$!!!$aGFzaGhhc2hoYXNoaGFzaA")).isFalse();
    }

    @Test
    void defaultParameters_meetTheOwaspFloor_andCostTensOfMillisecondsOfCpu() {
        PasswordHasher hasher = PasswordHasher.DEFAULT;
        assertThat(hasher.hash("warm-up-password")).startsWith("$argon2id$v=19$m=19456,t=3,p=1$");

        // CPU time of this thread, not wall time: the build box is shared with other builds.
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        int runs = 5;
        for (int i = 0; i < runs; i++) {
            hasher.hash("measure-password-" + i);
        }
        long millis = (threads.getCurrentThreadCpuTime() - start) / 1_000_000 / runs;
        System.out.println("Argon2id " + hasher + ": " + millis + " ms CPU per hash");

        // Cheaper than ~10 ms would make offline guessing too easy; dearer than 2 s would make sign-in a DoS vector.
        assertThat(millis).isBetween(10L, 2000L);
    }
}
