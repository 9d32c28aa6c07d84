/**
 * The built-in sandbox carrier: with no SIP trunk configured, the gateway calls this instead, over SIP and
 * RTP on loopback, so a first try exercises the real call path. Entry point: {@link org.opendialer.sandbox.Sandbox}
 * built from {@link org.opendialer.sandbox.SandboxSettings}; its numbers are
 * {@link org.opendialer.sandbox.TestNumber}s. No HTTP here: the gateway's app module exposes "call me".
 * See docs/sandbox.md.
 */
package org.opendialer.sandbox;
