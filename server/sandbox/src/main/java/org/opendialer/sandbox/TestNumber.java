package org.opendialer.sandbox;

/**
 * One number the sandbox answers, as the demo site and docs/sandbox.md list it.
 *
 * @param e164        the number, e.g. {@code +16505550100}
 * @param behaviour   what it does: {@code echo}, {@code tone}, {@code busy}, {@code declined}, {@code no_answer}
 *                    or {@code delayed_answer}
 * @param description one line for people, e.g. "Echo test: answers and plays back what you say"
 */
public record TestNumber(String e164, String behaviour, String description) {
}
