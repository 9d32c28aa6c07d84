// A TCP proxy on 127.0.0.1 in front of a gateway's HTTP port, so that a test can drop the dialer's
// WebSocket the way a network blip does: every connection is cut at once (no WebSocket close
// frame; the browser sees code 1006), and while the proxy is "down" each new connection is closed
// as soon as it is accepted, so the dialer's reconnect attempts fail until `restore()`.
import { connect, createServer } from 'node:net';

export async function startTcpProxy({ port, targetPort }) {
  const pairs = new Set();
  let down = false;
  let accepted = 0;
  const server = createServer((client) => {
    accepted++;
    if (down) {
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    const pair = { client, upstream };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const s of [client, upstream]) {
      s.on('error', end);
      s.on('close', end);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    /** Connections accepted so far (a reconnecting dialer makes new ones). */
    get accepted() {
      return accepted;
    },
    /** Connections currently carried. */
    get open() {
      return pairs.size;
    },
    /** Cuts every connection and refuses new ones until `restore()`. */
    cut() {
      down = true;
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream.destroy();
      }
      pairs.clear();
    },
    restore() {
      down = false;
    },
    async close() {
      this.cut();
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
