// The installable app: what Chromium needs to offer installation, the service worker's offline shell, a
// send that waits for the connection (and goes once), the "new version" prompt, and photos shared to the
// app from another one. The offline and update tests run their own server, which they stop and start.
import { test, expect } from './fixtures';
import { chromium } from '@playwright/test';
import type { BrowserContext, Page } from '@playwright/test';
import { ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { attach, redBlueJpeg, signUp } from './helpers';

const root = resolve(__dirname, '..', '..');
const basePort = Number(process.env.VINANO_E2E_PORT ?? 18080);

/** A server of our own on `port`, over `dataDir` and `distDir`; resolves once it answers. */
async function startServer(port: number, dataDir: string, distDir: string): Promise<ChildProcess> {
  const server = spawn(process.env.VINANO_SERVER_BIN ?? join(root, 'target', 'debug', 'vinano-server'), [], {
    env: {
      ...process.env,
      VINANO_BIND: `127.0.0.1:${port}`,
      VINANO_DATA_DIR: dataDir,
      VINANO_DIST_DIR: distDir,
      VINANO_RATE_LIMIT_SCALE: '100',
      RUST_LOG: 'vinano_server=warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (let i = 0; i < 300; i++) {
    try {
      await fetch(`http://127.0.0.1:${port}/`);
      return server;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  server.kill('SIGKILL');
  throw new Error(`the server on ${port} did not start`);
}

/** Stops a server and waits until it has exited. */
async function stopServer(server: ChildProcess) {
  if (server.exitCode !== null) return;
  const exited = new Promise((r) => server.once('exit', r));
  server.kill('SIGTERM');
  await exited;
}

/** Waits until the service worker is active and controls the page. */
async function controlled(page: Page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
}

async function phone(browser: import('@playwright/test').Browser, baseURL: string): Promise<BrowserContext> {
  return browser.newContext({ baseURL, viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
}

test('Chromium finds the app installable: manifest, icons and a service worker that controls the page', async ({ page }, testInfo) => {
  // Chromium never offers installation in an incognito profile (every Playwright context is one): ask a
  // persistent profile of our own.
  const profile = mkdtempSync(join(tmpdir(), 'vinano-e2e-profile-'));
  const persistent = await chromium.launchPersistentContext(profile, {
    ...testInfo.project.use.launchOptions,
    baseURL: `http://127.0.0.1:${basePort}`,
  });
  try {
    const installed = persistent.pages()[0] ?? (await persistent.newPage());
    await installed.goto('/');
    await controlled(installed);
    const cdp = await persistent.newCDPSession(installed);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);
    const manifest = await cdp.send('Page.getAppManifest');
    expect(manifest.errors).toEqual([]);
  } finally {
    await persistent.close();
    rmSync(profile, { recursive: true, force: true });
  }

  await page.goto('/');
  await controlled(page);
  const parsed = await page.evaluate(async () => (await fetch('/manifest.webmanifest')).json());
  expect(parsed).toMatchObject({ name: 'ViNano', display: 'standalone', start_url: '/image', scope: '/' });
  expect(parsed.share_target).toMatchObject({ action: '/share', method: 'POST', enctype: 'multipart/form-data' });
  // Every icon and screenshot is there at the size it claims.
  const pictures = [...parsed.icons.filter((i: { type: string }) => i.type === 'image/png'), ...parsed.screenshots];
  expect(parsed.screenshots.map((s: { form_factor: string }) => s.form_factor)).toEqual(['narrow', 'wide']);
  for (const icon of pictures) {
    const size = await page.evaluate(async (src: string) => {
      const bitmap = await createImageBitmap(await (await fetch(src)).blob());
      return `${bitmap.width}x${bitmap.height}`;
    }, icon.src);
    expect(size, icon.src).toBe(icon.sizes);
  }
  // The shell is kept; the API is not.
  const cached = await page.evaluate(async () => {
    const names = await caches.keys();
    const urls: string[] = [];
    for (const name of names) for (const r of await (await caches.open(name)).keys()) urls.push(new URL(r.url).pathname);
    return { names, urls };
  });
  expect(cached.names).toHaveLength(1);
  expect(cached.names[0]).toMatch(/^vinano-shell-[0-9a-f]{16}$/);
  expect(cached.urls).toContain('/');
  expect(cached.urls.some((u) => /^\/vinano-web-[0-9a-f]{12,16}_bg\.wasm$/.test(u))).toBe(true);
  expect(cached.urls.filter((u) => u.startsWith('/api/'))).toEqual([]);
});

test('offline: a send waits for the server and goes once; a reload without the server shows the shell and the banner', async ({ browser }) => {
  const port = basePort + 3;
  const dataDir = mkdtempSync(join(tmpdir(), 'vinano-e2e-offline-'));
  let server = await startServer(port, dataDir, join(root, 'dist'));
  const context = await phone(browser, `http://127.0.0.1:${port}`);
  const page = await context.newPage();
  try {
    await signUp(page, 'offliner');
    await controlled(page);
    await attach(page, { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: await redBlueJpeg(page) });
    const box = page.getByLabel('Instruction', { exact: true });
    await box.fill('rotate it');
    await box.press('Enter');
    await expect(page.locator('img.result')).toHaveCount(1);
    const conversation = new URL(page.url()).pathname.split('/').pop()!;

    // The server goes away; an instruction is typed and sent anyway.
    await stopServer(server);
    await box.fill('make it black and white');
    await box.press('Enter');
    await expect(page.getByText('Waiting for the connection: this will be sent when ViNano is back.')).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: "You're offline." })).toBeVisible();
    await expect(box).toHaveValue('make it black and white');

    // It comes back: the send goes by itself, once.
    server = await startServer(port, dataDir, join(root, 'dist'));
    await expect(page.locator('img.result')).toHaveCount(2, { timeout: 30_000 });
    await expect(page.getByText("You're offline.")).toHaveCount(0);
    await expect(box).toHaveValue('');
    const detail = await page.evaluate(async (id) => (await fetch(`/api/v1/conversations/${id}`)).json(), conversation);
    const sent = detail.messages.filter((m: { text: string }) => m.text === 'make it black and white');
    expect(sent).toHaveLength(1);

    // Gone again, and the page is reloaded: the app starts from the service worker and says it is offline.
    await stopServer(server);
    await page.reload();
    await expect(page.getByRole('status').filter({ hasText: "You're offline." })).toBeVisible();
    await expect(page.getByRole('link', { name: 'ViNano' }).first()).toBeVisible();
    await page.screenshot({ path: test.info().outputPath('offline-phone.png') });
    // Back: the editor opens where it was, without another reload.
    server = await startServer(port, dataDir, join(root, 'dist'));
    await expect(page.locator('img.result')).toHaveCount(2, { timeout: 30_000 });
    await expect(page.getByText("You're offline.")).toHaveCount(0);
  } finally {
    await context.close();
    await stopServer(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('offline, every page of the app opens, not only those visited before', async ({ browser, baseURL }) => {
  const context = await phone(browser, baseURL!);
  const page = await context.newPage();
  try {
    await page.goto('/');
    await controlled(page);
    // The connection goes before the person has opened any other page: each page's chunk is already kept.
    await context.setOffline(true);
    await page.getByRole('link', { name: 'Privacy' }).first().click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Privacy');
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Privacy');
    await page.goto('/signup');
    await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible();
    await expect(page.getByText("This page didn't load")).toHaveCount(0);
  } finally {
    await context.close();
  }
});

test('a new build shows "A new version is ready — Reload", and Reload brings it', async ({ browser }) => {
  const port = basePort + 4;
  const dataDir = mkdtempSync(join(tmpdir(), 'vinano-e2e-update-'));
  const dist = mkdtempSync(join(tmpdir(), 'vinano-e2e-dist-'));
  cpSync(join(root, 'dist'), dist, { recursive: true });
  const server = await startServer(port, dataDir, dist);
  const context = await browser.newContext({ baseURL: `http://127.0.0.1:${port}`, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  try {
    await page.goto('/privacy');
    await controlled(page);
    await expect(page.getByText('A new version of ViNano is ready.')).toHaveCount(0);

    // Deploy "a new build": index.html changes (and its precompressed twins go, as a build would replace them),
    // within the same second as the old one, so a revalidation by Last-Modified alone would say "not modified".
    const index = readFileSync(join(dist, 'index.html'), 'utf8');
    const built = statSync(join(dist, 'index.html')).mtime;
    writeFileSync(join(dist, 'index.html'), index.replace('<head>', '<head><meta name="vinano-build" content="next">'));
    utimesSync(join(dist, 'index.html'), built, built);
    rmSync(join(dist, 'index.html.br'), { force: true });
    rmSync(join(dist, 'index.html.gz'), { force: true });
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());

    const prompt = page.getByRole('status').filter({ hasText: 'A new version of ViNano is ready.' });
    await expect(prompt).toBeVisible();
    // Until the person says so, the page stays on the build it started with.
    expect(await page.locator('meta[name="vinano-build"]').count()).toBe(0);
    await page.screenshot({ path: test.info().outputPath('update-desktop.png') });
    await prompt.getByRole('button', { name: 'Reload' }).click();
    await expect(page.locator('meta[name="vinano-build"]')).toHaveAttribute('content', 'next');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.getByText('A new version of ViNano is ready.')).toHaveCount(0);
    const names = await page.evaluate(() => caches.keys());
    expect(names.filter((n) => n.startsWith('vinano-shell-')), 'the old build is gone').toHaveLength(1);
  } finally {
    await context.close();
    await stopServer(server);
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(dist, { recursive: true, force: true });
  }
});

test('a photo shared to the app opens a new conversation with it attached', async ({ browser }) => {
  const context = await phone(browser, `http://127.0.0.1:${basePort}`);
  const page = await context.newPage();
  await signUp(page, 'sharer');
  await controlled(page);
  const jpeg = await redBlueJpeg(page);
  // What the phone's share sheet does: a multipart POST to the manifest's share_target action.
  await page.evaluate((bytes: number[]) => {
    const form = document.createElement('form');
    form.method = 'POST';
    form.action = '/share';
    form.enctype = 'multipart/form-data';
    const input = document.createElement('input');
    input.type = 'file';
    input.name = 'photos';
    const files = new DataTransfer();
    files.items.add(new File([new Uint8Array(bytes)], 'from-gallery.jpg', { type: 'image/jpeg' }));
    input.files = files.files;
    form.append(input);
    document.body.append(form);
    form.submit();
  }, [...jpeg]);
  await expect(page).toHaveURL(/\/image$/);
  const rows = page.locator('.attachments > li');
  await expect(rows).toHaveCount(1);
  await expect(rows.filter({ hasText: 'Ready ·' })).toHaveCount(1, { timeout: 30_000 });
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page).toHaveURL(/\/image\/[0-9a-f-]+$/);
  await expect(page.locator('img.original')).toHaveCount(1);
  // Taken once: the page reloaded doesn't attach it again.
  expect(await page.evaluate(async () => (await caches.open('vinano-shared')).keys().then((k) => k.length))).toBe(0);
  await context.close();
});
