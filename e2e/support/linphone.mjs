// linphone-cli (liblinphone, a SIP stack none of our code shares) as a headless phone: linphonec driven over a
// FIFO (it quits at the end of its input, so the test keeps the FIFO open), in file mode (without
// `soundcard use files` it answers and sends no RTP), playing a WAV and recording what it hears. One HOME per
// instance; the config file is written fresh each run (linphonec rewrites it on exit). Stopped by PID.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function checkLinphone() {
  if (spawnSync('which', ['linphonec']).status !== 0) throw new Error('linphonec is not installed: apt-get install -y linphone-cli');
}

/**
 * Starts linphonec as `sip:user@registrar` (registers with digest `password`), SIP on 127.0.0.1:`sipPort` (UDP),
 * RTP on 127.0.0.1:`rtpPort`, auto-answer; plays `playWav` into calls and records into dir/heard.wav.
 */
export async function startLinphone({ user, password, registrar, sipPort, rtpPort, playWav, dir }) {
  mkdirSync(path.join(dir, 'home', '.local', 'share', 'linphone'), { recursive: true });
  const rc = path.join(dir, 'linphonerc');
  writeFileSync(rc, [
    '[sip]', `sip_port=${sipPort}`, 'sip_tcp_port=-1', 'sip_tls_port=-1', 'bind_address=127.0.0.1', 'guess_hostname=0',
    'register_only_when_network_is_up=0', '',
    '[rtp]', 'bind_address=127.0.0.1', `audio_rtp_port=${rtpPort}`, 'video_rtp_port=-1', '',
    '[video]', 'enabled=0', 'capture=0', 'display=0', '',
    '[sound]', 'echocancellation=0', '',
    '[net]', 'firewall_policy=0', '',
    '[auth_info_0]', `username=${user}`, `passwd=${password}`, 'realm=127.0.0.1', '',
    '[proxy_0]', `reg_proxy=<sip:${registrar}>`, `reg_identity=sip:${user}@${registrar.split(':')[0]}`,
    'reg_expires=60', 'reg_sendregister=1', 'publish=0', '',
  ].join('\n'));
  const fifo = path.join(dir, 'cmd.fifo');
  rmSync(fifo, { force: true });
  if (spawnSync('mkfifo', [fifo]).status !== 0) throw new Error('mkfifo failed');
  const heard = path.join(dir, 'heard.wav');
  rmSync(heard, { force: true });
  const logFile = path.join(dir, 'linphonec.log');
  const log = openSync(logFile, 'w');
  const child = spawn('sh', ['-c', `exec linphonec -c "${rc}" -d 0 -a < "${fifo}"`], {
    cwd: dir,
    env: { ...process.env, HOME: path.join(dir, 'home') },
    stdio: ['ignore', log, log],
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  // Opening the FIFO for writing blocks until linphonec opens it for reading: it is the shell's exec above.
  const writer = openSync(fifo, 'w');
  const send = (command) => writeSync(writer, `${command}\n`);
  send('soundcard use files');
  send(`play ${playWav}`);
  send(`record ${heard}`);
  const phone = {
    pid: child.pid,
    send,
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'latin1').slice(-6000) : ''),
    /** Forgets the last recording, so the next call's is judged alone. */
    resetHeard: () => rmSync(heard, { force: true }),
    /** The 16-bit mono samples linphonec recorded (written when the call ends) and their rate. */
    heard() {
      if (!existsSync(heard)) return { samples: new Int16Array(0), rate: 8000 };
      const b = readFileSync(heard);
      if (b.length < 44) return { samples: new Int16Array(0), rate: 8000 };
      const rate = b.readUInt32LE(24);
      const data = b.subarray(44, b.length - (b.length % 2)); // its header's length is wrong: read what is there
      return { samples: new Int16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length)), rate };
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        try {
          send('quit'); // un-REGISTERs, 1-2 s
        } catch {
          // the FIFO is gone with the process
        }
        const done = await Promise.race([exited, sleep(5000).then(() => null)]);
        if (!done) {
          child.kill('SIGKILL');
          await exited;
        }
      }
      try {
        closeSync(writer);
      } catch {
        // already closed
      }
    },
  };
  return phone;
}
