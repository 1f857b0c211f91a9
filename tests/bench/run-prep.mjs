// Serves dist/ (the release SPA and its prep worker), this folder and pica, opens the benchmark page in
// Debian's Chromium, and writes the source, each method's output and the timings to the output folder.
// Usage: node tests/bench/run-prep.mjs <dist dir> <output dir> [runs]. Run by `cargo xtask bench-prep`.
import { createServer } from 'node:http';
import { readFile, writeFile, mkdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { extname, join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const e2e = resolve(here, '..', 'e2e');
const require = createRequire(join(e2e, 'package.json'));
const { chromium } = require('playwright-core');

const [distDir, outDir, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 7);
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };

const server = createServer(async (req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  const file = path === '/pica.min.js'
    ? join(e2e, 'node_modules', 'pica', 'dist', 'pica.min.js')
    : path.startsWith('/bench/') ? join(here, path.slice('/bench/'.length)) : join(distDir, path);
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(body);
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
  page.on('console', (m) => console.log('  page:', m.text()));
  page.on('pageerror', (e) => console.error('  page error:', e.message));
  await page.goto(`http://127.0.0.1:${port}/bench/prep.html`);
  const result = await page.evaluate((n) => window.runBench(n), runs);
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'source.jpg'), Buffer.from(result.source, 'base64'));
  const summary = { runs: result.runs, userAgent: result.userAgent, methods: {} };
  for (const [name, m] of Object.entries(result.methods)) {
    await writeFile(join(outDir, `${name}.jpg`), Buffer.from(m.output, 'base64'));
    summary.methods[name] = { medianMs: m.medianMs, times: m.times, steps: m.steps };
  }
  await writeFile(join(outDir, 'timings.json'), JSON.stringify(summary, null, 2));
  console.log(`wrote ${outDir}`);
} finally {
  await browser.close();
  server.close();
}
