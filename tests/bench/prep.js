// The photo-prep benchmark page: prepares one 12 MP JPEG to 2048 px on the long side, three ways, from the
// File to the encoded JPEG: ViNano's worker (both of its decoders), pica (lanczos3) and the browser's own
// createImageBitmap resize. Driven by tests/bench/run-prep.mjs (`cargo xtask bench-prep`).
'use strict';

const LONG_SIDE = 2048;
const QUALITY = 0.88;

function log(line) {
  document.getElementById('log').textContent += line + '\n';
}

/** A photo-like 4000 × 3000 test image: smooth gradients, fine detail at several frequencies, and noise. */
async function makeSource() {
  const w = 4000, h = 3000;
  const canvas = new OffscreenCanvas(w, h);
  const g = canvas.getContext('2d');
  const img = g.createImageData(w, h);
  let seed = 42;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const noise = ((seed >> 16) & 15) - 8;
      const fine = 40 * Math.sin(x * 0.35) * Math.sin(y * 0.27);
      const mid = 50 * Math.sin((x + 2 * y) * 0.021);
      const i = (y * w + x) * 4;
      img.data[i] = 110 + (x / w) * 100 + fine + noise;
      img.data[i + 1] = 90 + mid + (y / h) * 60 + noise;
      img.data[i + 2] = 160 - (x / w) * 80 + fine * 0.5 - mid * 0.5 + noise;
      img.data[i + 3] = 255;
    }
  }
  g.putImageData(img, 0, 0);
  const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.92 });
  return new File([blob], 'source.jpg', { type: 'image/jpeg' });
}

let worker;
let nextId = 1;
const waiting = new Map();
function startWorker() {
  return new Promise((resolve, reject) => {
    worker = new Worker('/worker_loader.js');
    worker.onerror = reject;
    worker.onmessage = (event) => {
      if (event.data.ready) return resolve();
      const done = waiting.get(event.data.id);
      waiting.delete(event.data.id);
      done(event.data);
    };
  });
}

async function vinano(file, decoder, encoder) {
  const started = performance.now();
  const id = nextId++;
  const reply = await new Promise((resolve) => {
    waiting.set(id, resolve);
    worker.postMessage({ id, file, maxSide: LONG_SIDE, decoder, encoder });
  });
  const ms = performance.now() - started;
  if (!reply.ok) throw new Error('vinano failed: ' + reply.error);
  const blob = new Blob([reply.bytes], { type: reply.type });
  return { ms, blob, steps: [reply.decodeMs, reply.resizeMs, reply.encodeMs] };
}

const resizer = window.pica({ features: ['js', 'wasm', 'ww'] });
async function picaRun(file) {
  const started = performance.now();
  const bitmap = await createImageBitmap(file);
  const decoded = performance.now();
  const scale = LONG_SIDE / Math.max(bitmap.width, bitmap.height);
  const out = document.createElement('canvas');
  out.width = Math.round(bitmap.width * scale);
  out.height = Math.round(bitmap.height * scale);
  await resizer.resize(bitmap, out, { filter: 'lanczos3' });
  bitmap.close();
  const resized = performance.now();
  const blob = await resizer.toBlob(out, 'image/jpeg', QUALITY);
  const end = performance.now();
  return { ms: end - started, blob, steps: [decoded - started, resized - decoded, end - resized] };
}

async function browserResize(file) {
  // Decoding and resizing happen in one call here, so only the total and the encode are separate.
  const started = performance.now();
  const probe = await createImageBitmap(file);
  const scale = LONG_SIDE / Math.max(probe.width, probe.height);
  const [w, h] = [Math.round(probe.width * scale), Math.round(probe.height * scale)];
  probe.close();
  const bitmap = await createImageBitmap(file, { resizeWidth: w, resizeHeight: h, resizeQuality: 'high' });
  const canvas = new OffscreenCanvas(w, h);
  canvas.getContext('2d').drawImage(bitmap, 0, 0);
  bitmap.close();
  const resized = performance.now();
  const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: QUALITY });
  const end = performance.now();
  return { ms: end - started, blob, steps: [NaN, resized - started, end - resized] };
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function base64(blob) {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Runs every method `runs` times (after one warm-up each, interleaved) and returns medians and outputs. */
window.runBench = async function runBench(runs) {
  const file = await makeSource();
  log(`source: ${file.size} bytes`);
  await startWorker();
  const methods = {
    // What the app uses: WebCodecs decode to planar YUV, Lanczos3 per plane in WASM, native JPEG encode.
    vinano: (f) => vinano(f, 'auto', 'auto'),
    // ViNano's WASM JPEG decoder instead (browsers without WebCodecs' ImageDecoder).
    'vinano-wasm-decode': (f) => vinano(f, 'wasm', 'auto'),
    // Everything in WASM.
    'vinano-wasm-only': (f) => vinano(f, 'wasm', 'wasm'),
    // createImageBitmap + getImageData instead (how HEIC is read on Safari).
    'vinano-browser-decode': (f) => vinano(f, 'browser', 'auto'),
    pica: picaRun,
    'createImageBitmap': browserResize,
  };
  const results = {};
  for (const [name, run] of Object.entries(methods)) {
    await run(file); // warm-up: worker and WASM start-up, pica's workers
    results[name] = { times: [], steps: [] };
  }
  for (let i = 0; i < runs; i++) {
    for (const [name, run] of Object.entries(methods)) {
      const r = await run(file);
      results[name].times.push(r.ms);
      if (r.steps) results[name].steps.push(r.steps);
      results[name].last = r.blob;
      log(`${name} run ${i + 1}: ${r.ms.toFixed(1)} ms`);
    }
  }
  const out = { source: await base64(file), runs, userAgent: navigator.userAgent, methods: {} };
  for (const [name, r] of Object.entries(results)) {
    out.methods[name] = {
      medianMs: median(r.times),
      times: r.times,
      steps: r.steps.length ? [0, 1, 2].map((k) => median(r.steps.map((s) => s[k]))) : null,
      output: await base64(r.last),
    };
  }
  return out;
};
