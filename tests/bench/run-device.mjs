// The on-device editor in headless Chromium: the release device worker from dist/ (as the app loads it) gets a
// 2048 × 1536 photo of the test figure and runs "remove the background" and "erase this" (a 10 % brushed
// block) on it, `runs` times each; the worker's own time for each is printed (the first background removal
// also fetches and prepares the model, and is reported apart).
// Usage: node tests/bench/run-device.mjs <dist dir> <model file> [runs] [--profile]. Run by `cargo xtask
// bench-device`. With --profile, Chromium's sampling profiler watches the worker from the start of the timed
// runs, and the 30 functions with the most time of their own are printed. They have names only in a worker
// whose name section was kept: one built by hand and given to wasm-bindgen without wasm-opt (or with `-g`).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { extname, join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(resolve(here, '..', 'e2e'), 'package.json'));
const { chromium } = require('playwright-core');

const [distDir, modelFile, runsArg, flag] = process.argv.slice(2);
const profiling = flag === '--profile';
const runs = Number(runsArg ?? 5);
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };

const server = createServer(async (req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  if (path === '/') return res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>bench</title>');
  const file = path.startsWith('/models/') ? modelFile : join(distDir, path);
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const { port } = server.address();

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error('  page error:', e.message));
  await page.goto(`http://127.0.0.1:${port}/`);
  const running = page.evaluate(async ([n, profiling]) => {
    const [w, h] = [2048, 1536];
    const c = new OffscreenCanvas(w, h);
    const g = c.getContext('2d');
    const img = g.createImageData(w, h);
    for (let py = 0; py < h; py++) {
      for (let px = 0; px < w; px++) {
        const [x, y] = [px + 0.5, py + 0.5];
        const head = ((x - 0.5 * w) / (0.09 * w)) ** 2 + ((y - 0.3 * h) / (0.09 * w)) ** 2 < 1;
        const body = ((x - 0.5 * w) / (0.17 * w)) ** 2 + ((y - 0.68 * h) / (0.3 * h)) ** 2 < 1 && y < 0.92 * h;
        const texture = 8 * Math.sin(x * 0.21) * Math.cos(y * 0.17) + 5 * Math.sin((x + y) * 0.05);
        const rgb = head || body ? [225, 90, 40] : (y > 0.85 * h ? [150, 140, 125] : [180, 195, 205]).map((v) => v + texture);
        img.data.set([...rgb.map((v) => Math.max(0, Math.min(255, v))), 255], (py * w + px) * 4);
      }
    }
    g.putImageData(img, 0, 0);
    const photo = await c.convertToBlob({ type: 'image/png' });
    // A 10 % block brushed on the wall, at the photo's size.
    const m = new OffscreenCanvas(w, h);
    const mg = m.getContext('2d');
    mg.fillStyle = 'black';
    mg.fillRect(0, 0, w, h);
    mg.fillStyle = 'white';
    mg.fillRect(100, 100, Math.round(w * 0.316), Math.round(h * 0.316));
    const bytes = new Uint8Array(await (await m.convertToBlob({ type: 'image/png' })).arrayBuffer());
    let binary = '';
    for (const b of bytes) binary += String.fromCharCode(b);
    const mask = `data:image/png;base64,${btoa(binary)}`;

    const worker = new Worker('/device_loader.js');
    await new Promise((ok) => worker.addEventListener('message', (e) => e.data.ready && ok(), { once: true }));
    if (profiling) await new Promise((ok) => { window.benchGo = ok; });
    let id = 0;
    const run = (instruction, selection) => new Promise((ok, fail) => {
      const me = ++id;
      const listen = (e) => {
        if (e.data.id !== me) return;
        worker.removeEventListener('message', listen);
        e.data.ok ? ok(e.data.ms) : fail(new Error(e.data.said));
      };
      worker.addEventListener('message', listen);
      worker.postMessage({ id: me, instruction, params: '{}', image: photo, ...(selection ? { selection } : {}) });
    });
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const first = await run('remove the background');
    const background = [];
    for (let i = 0; i < n; i++) background.push(await run('remove the background'));
    const erase = [];
    for (let i = 0; i < n; i++) erase.push(await run('erase this', mask));
    return { userAgent: navigator.userAgent, first, background, erase, medians: { background: median(background), erase: median(erase) } };
  }, [runs, profiling]);
  const stop = profiling ? await profileWorker(browser, page) : null;
  const result = await running;
  console.log(JSON.stringify(result, null, 2));
  if (stop) printProfile(await stop());
} finally {
  await browser.close();
  server.close();
}

// Starts Chromium's sampling profiler in the page's worker once it is ready, and lets the timed runs go;
// answers a function that stops it and gives the profile.
async function profileWorker(browser, page) {
  const cdp = await browser.newBrowserCDPSession();
  await page.waitForFunction(() => window.benchGo);
  const { targetInfos } = await cdp.send('Target.getTargets');
  const worker = targetInfos.find((t) => t.type === 'worker');
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: worker.targetId, flatten: false });
  let last = 0;
  const waiting = new Map();
  cdp.on('Target.receivedMessageFromTarget', (e) => {
    const m = JSON.parse(e.message);
    waiting.get(m.id)?.(m.result);
    waiting.delete(m.id);
  });
  const send = (method, params = {}) => new Promise((ok) => {
    const id = ++last;
    waiting.set(id, ok);
    cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) });
  });
  await send('Profiler.enable');
  await send('Profiler.setSamplingInterval', { interval: 200 });
  await send('Profiler.start');
  await page.evaluate(() => window.benchGo());
  return async () => (await send('Profiler.stop')).profile;
}

// Each function's own time in `profile`, the largest 30.
function printProfile(profile) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const own = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const frame = nodes.get(id).callFrame;
    const name = frame.functionName || `${frame.url}:${frame.lineNumber}`;
    const us = profile.timeDeltas[i + 1] ?? 0;
    total += us;
    own.set(name, (own.get(name) ?? 0) + us);
  });
  console.log(`profile: ${(total / 1000).toFixed(0)} ms in all; own time by function`);
  for (const [name, us] of [...own].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
    console.log(`${(us / 1000).toFixed(0).padStart(7)} ms  ${name.slice(0, 140)}`);
  }
}
