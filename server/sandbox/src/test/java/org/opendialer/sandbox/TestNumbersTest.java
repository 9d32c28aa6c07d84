package org.opendialer.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestNumbersTest {
    private final PhoneNumberUtil util = PhoneNumberUtil.getInstance();

    @Test
    void everyTestNumber_isAValidE164NumberForLibphonenumber() throws Exception {
        for (TestNumber n : TestNumbers.ALL) {
            var parsed = util.parse(n.e164(), "ZZ");
            assertThat(util.isValidNumber(parsed)).as(n.e164()).isTrue();
            assertThat(util.format(parsed, PhoneNumberUtil.PhoneNumberFormat.E164)).isEqualTo(n.e164());
        }
    }

    @Test
    void testNumbers_areInTheFictionalRange_andDistinct() {
        assertThat(TestNumbers.ALL).extracting(TestNumber::e164).doesNotHaveDuplicates()
                .allMatch(n -> n.matches("\\+1650555010[0-9]"));
    }

    @Test
    void everyBehaviour_hasExactlyOneNumber() {
        assertThat(TestNumbers.ALL).extracting(TestNumber::behaviour)
                .containsExactlyInAnyOrder(Arrays.stream(Behaviour.values()).map(b -> b.wireName).toArray(String[]::new));
        assertThat(TestNumbers.ALL).extracting(TestNumber::description).allMatch(d -> d.length() > 10);
    }

    @Test
    void behaviourOf_acceptsTheNumberWithOrWithoutPlus_andNothingElse() {
        assertThat(TestNumbers.behaviourOf("+16505550100")).contains(Behaviour.ECHO);
        assertThat(TestNumbers.behaviourOf("16505550101")).contains(Behaviour.TONE);
        assertThat(TestNumbers.behaviourOf("+16505550199")).isEmpty();
        assertThat(TestNumbers.behaviourOf("1001")).isEmpty();
        assertThat(TestNumbers.behaviourOf(null)).isEmpty();
    }

    @Test
    void callerIdOfCallMe_isTheToneNumber_soCallingBackPlaysTheTone() {
        assertThat(TestNumbers.behaviourOf(TestNumbers.CALLER_ID)).contains(Behaviour.TONE);
        assertThat(List.of(TestNumbers.summary().split(", "))).hasSize(TestNumbers.ALL.size());
    }
}
