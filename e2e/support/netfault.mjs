// Blocks a UDP port on the loopback with iptables (root), the way a network that stops carrying
// media does: both directions (packets to the port and from it) are dropped. Every rule added is
// removed by the function returned, which the caller runs in `finally`.
import { spawnSync } from 'node:child_process';

function iptables(args) {
  return spawnSync('iptables', ['-w', '5', ...args], { encoding: 'utf8' });
}

/** Why UDP cannot be blocked here (no iptables binary, not root, no netfilter), or null when it can. */
export function udpBlockUnavailable() {
  const probe = iptables(['-S', 'INPUT']);
  if (probe.error) return 'iptables is not installed (Debian package `iptables`; ./dialer test installs it)';
  if (probe.status !== 0) return `iptables cannot be used here (root and netfilter needed): ${probe.stderr.trim()}`;
  return null;
}

const rules = (port) => [
  ['INPUT', '-p', 'udp', '--dport', String(port), '-j', 'DROP'],
  ['INPUT', '-p', 'udp', '--sport', String(port), '-j', 'DROP'],
];

/** Drops UDP to and from `port`; returns `unblock()`, which removes exactly those rules (idempotent). */
export function blockUdpPort(port) {
  return addRules(rules(port));
}

/**
 * Drops a random share (`probability`, e.g. 0.1) of the UDP packets sent from `port` (the iptables
 * `statistic` match), as a lossy network does; returns the function that removes the rule.
 */
export function loseUdpFromPort(port, probability) {
  return addRules([['INPUT', '-p', 'udp', '--sport', String(port), '-m', 'statistic', '--mode', 'random', '--probability', String(probability), '-j', 'DROP']]);
}

/**
 * Drops a random share (`probability`) of the UDP packets sent to ports `first`…`last` (e.g. the gateway's
 * SIP-side RTP range: a lossy path from the far end); returns the function that removes the rule.
 */
export function loseUdpToPorts(first, last, probability) {
  return addRules([['INPUT', '-p', 'udp', '--dport', `${first}:${last}`, '-m', 'statistic', '--mode', 'random', '--probability', String(probability), '-j', 'DROP']]);
}

function addRules(list) {
  const added = [];
  const unblock = () => {
    const failures = [];
    for (const rule of added.splice(0)) {
      // -D removes one copy; a rule inserted twice by accident is removed twice.
      while (iptables(['-C', ...rule]).status === 0) {
        const r = iptables(['-D', ...rule]);
        if (r.status !== 0) {
          failures.push(`iptables -D ${rule.join(' ')}: ${r.stderr.trim()}`);
          break;
        }
      }
    }
    if (failures.length) throw new Error(failures.join('\n'));
  };
  for (const rule of list) {
    const [chain, ...spec] = rule;
    const r = iptables(['-I', chain, ...spec]);
    if (r.status !== 0) {
      unblock();
      throw new Error(`iptables -I ${rule.join(' ')} failed: ${r.stderr.trim()}`);
    }
    added.push(rule);
  }
  return unblock;
}
