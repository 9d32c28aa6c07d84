// Network shapes for the ICE-TCP/TURN tests (tests/network.spec.ts): iptables DROP rules on the INPUT
// chain, each scoped to one of this suite's ports, all removed by the function returned (run it in
// `finally`). Same mechanism as netfault.mjs, with TCP and source-port exceptions.
import { spawnSync } from 'node:child_process';

function iptables(args) {
  return spawnSync('iptables', ['-w', '5', ...args], { encoding: 'utf8' });
}

/** `-p udp --dport PORT`, optionally `! --sport A:B` (let a TURN server's relay ports through). */
export const dropUdpTo = (port, exceptFromPorts) => [
  'INPUT', '-p', 'udp', ...(exceptFromPorts ? ['!', '--sport', exceptFromPorts] : []), '--dport', String(port), '-j', 'DROP',
];
export const dropTcpTo = (port) => ['INPUT', '-p', 'tcp', '--dport', String(port), '-j', 'DROP'];

/** Inserts `rules`; returns `unblock()`, which removes exactly those (idempotent, also on a partial insert). */
export function block(rules) {
  const added = [];
  const unblock = () => {
    const failures = [];
    for (const [chain, ...spec] of added.splice(0)) {
      while (iptables(['-C', chain, ...spec]).status === 0) {
        const r = iptables(['-D', chain, ...spec]);
        if (r.status !== 0) {
          failures.push(`iptables -D ${chain} ${spec.join(' ')}: ${r.stderr.trim()}`);
          break;
        }
      }
    }
    if (failures.length) throw new Error(failures.join('\n'));
  };
  for (const [chain, ...spec] of rules) {
    const r = iptables(['-I', chain, ...spec]);
    if (r.status !== 0) {
      unblock();
      throw new Error(`iptables -I ${chain} ${spec.join(' ')} failed: ${r.stderr.trim()}`);
    }
    added.push([chain, ...spec]);
  }
  return unblock;
}

/** Packets a rule dropped so far (`iptables -L -v -x`), or -1 when it is not there. */
export function dropped(rule) {
  const [chain, ...spec] = rule;
  const r = iptables(['-S', chain, '-v']);
  if (r.status !== 0) return -1;
  const want = spec.join(' ');
  for (const line of r.stdout.split('\n')) {
    // -S -v prints "-A INPUT -p udp -m udp --dport N -c PACKETS BYTES -j DROP"
    const m = / -c (\d+) \d+/.exec(line);
    if (m && normalise(line) === normalise(`-A ${chain} ${want}`)) return Number(m[1]);
  }
  return -1;
}

const normalise = (s) => s.replace(/ -m (udp|tcp)/g, '').replace(/ -c \d+ \d+/, '').replace(/\s+/g, ' ').trim();
