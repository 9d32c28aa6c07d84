// The one in-page tone detector of the e2e suites (Chromium through Playwright, Firefox through
// puppeteer-core): both pass it to `frame.evaluate`, which sends its source to the page, so it must
// use nothing from this module's scope.

/**
 * Runs in the dialer's frame: listens to its remote <audio> element for `duration` ms and returns, per
 * 100 ms window, the share of energy at `freq` (Goertzel; ≈1 for a pure tone) and the RMS level, as
 * medians. Nothing playing yet (the answer is still being applied, no track) is { ratio: 0, rms: 0 },
 * so a poll tries again.
 */
export async function listenForTone([freq, duration]) {
  const el = document.querySelector('audio[data-role="remote-audio"]');
  if (!el || !(el.srcObject instanceof MediaStream) || el.srcObject.getAudioTracks().length === 0) return { ratio: 0, rms: 0 };
  const ctx = new AudioContext();
  await ctx.resume();
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 4096;
  ctx.createMediaStreamSource(el.srcObject).connect(analyser);
  const buf = new Float32Array(analyser.fftSize);
  const ratios = [];
  const levels = [];
  const end = performance.now() + duration;
  while (performance.now() < end) {
    await new Promise((r) => setTimeout(r, 100));
    analyser.getFloatTimeDomainData(buf);
    const k = 2 * Math.cos((2 * Math.PI * freq) / ctx.sampleRate);
    let s1 = 0;
    let s2 = 0;
    let total = 0;
    for (const x of buf) {
      const s0 = x + k * s1 - s2;
      s2 = s1;
      s1 = s0;
      total += x * x;
    }
    const power = s1 * s1 + s2 * s2 - k * s1 * s2;
    ratios.push(total > 1e-9 ? (2 * power) / buf.length / total : 0);
    levels.push(Math.sqrt(total / buf.length));
  }
  await ctx.close();
  const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)] ?? 0;
  return { ratio: median(ratios), rms: median(levels) };
}
