// The widget on a partner's site, as a partner's developer and their visitors use it. A partner registered
// with `vinano-server admin partner add` serves its own page on another site (http://localhost:18090, while
// ViNano is http://127.0.0.1:18080): the page queues calls before `widget.js` has loaded, attaches a photo of
// its own, asks for an edit, and gets the result's address, which it downloads without any cookie. The
// iframe grows to its content; a message from a third site is ignored and counted; a page of an unlisted
// site can't frame the editor at all; the site's own session cookie never goes into the widget; a forged
// token opens nothing; a guest who has used up the allowance is told so, saves a copy of everything and deletes it.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { join, resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { test, expect } from './fixtures';
import { signUp } from './helpers';

const root = resolve(__dirname, '..', '..');
const vinano = 'http://127.0.0.1:18080';
const partnerPort = 18090;
const strangerPort = 18091;

function admin(...args: string[]): string {
  const bin = process.env.VINANO_SERVER_BIN ?? join(root, 'target', 'debug', 'vinano-server');
  const env = { ...process.env, VINANO_DATA_DIR: process.env.VINANO_E2E_DATA_DIR!, RUST_LOG: 'warn' };
  return execFileSync(bin, ['admin', 'partner', ...args], { env, encoding: 'utf8' });
}

/** Registers a partner for the page at localhost:18090; its id and secret. */
function register(allowance: number): { id: string; secret: string } {
  const out = admin('add', 'Example Prints', '--origin', `http://localhost:${partnerPort}`, '--allowance', String(allowance));
  const id = out.match(/pt_[0-9a-f]{16}/)![0];
  const secret = out.match(/vns_[A-Za-z0-9_-]{43}/)![0];
  return { id, secret };
}

/** A member token as the partner's server makes it (HS256 JWT). */
function token(partner: string, secret: string, user: string): string {
  const b64 = (v: object | Buffer) => Buffer.from(v instanceof Buffer ? v : JSON.stringify(v)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const body = { iss: partner, sub: user, aud: vinano, iat: now, exp: now + 300, jti: randomUUID() };
  const signed = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(body)}`;
  return `${signed}.${b64(createHmac('sha256', secret).update(signed).digest())}`;
}

/** The partner's own photo: ViNano's 192 px icon, in colour (so a black-and-white result is told from it). */
function photo(): Promise<Buffer> {
  return fetch(`${vinano}/icon-192.png`).then(async (r) => Buffer.from(await r.arrayBuffer()));
}

/** The partner's page: the snippet, the calls queued before the loader, and what it heard back. */
function partnerPage(partner: string, options: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Example Prints</title></head>
<body><h1>Example Prints</h1><div id="editor"></div><iframe id="stranger" title="ad" style="display:none"></iframe>
<script>
window.events = [];
window.vinano=window.vinano||function(){(vinano.q=vinano.q||[]).push(arguments)};
vinano('on', 'ready', function (e) { events.push(['ready', e]); });
vinano('on', 'image', function (e) { events.push(['image', e]); });
vinano('on', 'error', function (e) { events.push(['error', e]); });
vinano('on', 'resize', function (e) { events.push(['resize', e]); });
vinano('open', ${options});
</script>
<script src="${vinano}/widget.js" data-partner="${partner}" async></script></body></html>`;
}

let pages: Record<string, string> = {};
let picture: Buffer;
const servers: Server[] = [];

function serve(port: number) {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/photo.png') {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(picture);
    } else if (pages[path]) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(pages[path]);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  server.listen(port, 'localhost');
  servers.push(server);
}

test.beforeAll(async () => {
  picture = await photo();
  serve(partnerPort);
  serve(strangerPort);
});

test.afterAll(() => servers.forEach((s) => s.close()));

test('a partner page opens the widget, edits its own photo and downloads the result', async ({ page, browser }) => {
  // The visitor also has an account on ViNano itself, signed in, in the same browser.
  await signUp(page, `wid${Date.now()}`);
  const { id, secret } = register(5);
  pages['/shop'] = partnerPage(id, `{mode: 'inline', target: '#editor', token: ${JSON.stringify(token(id, secret, 'member-7'))}}`);
  // Queued before the loader arrives: a photo of the page's own site, then the words.
  pages['/shop'] = pages['/shop'].replace(
    "vinano('open',",
    "vinano('attach', '/photo.png'); vinano('prompt', 'make it black and white'); vinano('open',",
  );
  const toWidget: string[] = [];
  page.on('request', async (r) => {
    let inWidget = false;
    try {
      inWidget = r.frame() !== page.mainFrame();
    } catch {
      inWidget = false;
    }
    if (r.url().startsWith(vinano) && inWidget) toWidget.push((await r.allHeaders())['cookie'] ?? '');
  });
  await page.goto(`http://localhost:${partnerPort}/shop`);
  const widget = page.frameLocator('#editor iframe');
  await expect(widget.getByText('Example Prints')).toBeVisible();
  const image = await page.waitForFunction(() => (window as any).events.find((e: any) => e[0] === 'image'), null, { timeout: 45_000 });
  const sent = (await image.jsonValue())[1];
  expect(sent.url).toContain(`${vinano}/api/v1/widget/files/`);
  expect(sent.width).toBe(192);
  // The page downloads it itself, across sites, with no cookie: grey pixels.
  const grey = await page.evaluate(async (url) => {
    const blob = await (await fetch(url, { credentials: 'omit' })).blob();
    const bitmap = await createImageBitmap(blob);
    const c = new OffscreenCanvas(bitmap.width, bitmap.height);
    const g = c.getContext('2d')!;
    g.drawImage(bitmap, 0, 0);
    const d = g.getImageData(0, 0, bitmap.width, bitmap.height).data;
    let coloured = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (Math.abs(d[i] - d[i + 1]) > 8 || Math.abs(d[i + 1] - d[i + 2]) > 8)) coloured++;
    return coloured;
  }, sent.url);
  expect(grey).toBe(0);
  const events = await page.evaluate(() => (window as any).events.map((e: any) => e[0]));
  expect(events).toContain('ready');
  // The iframe grew to its content, and shows the result with what is left of the allowance.
  const height = await page.locator('#editor iframe').evaluate((f) => (f as HTMLIFrameElement).getBoundingClientRect().height);
  expect(height).not.toBe(420);
  await expect(widget.getByRole('img', { name: /The result, 192 × 192/ })).toBeVisible();
  await expect(widget.getByText('4 credits left')).toBeVisible();
  // The site's session cookie never went into the widget; the widget's own did.
  expect(toWidget.length).toBeGreaterThan(3);
  expect(toWidget.some((c) => /(^|; )(__Host-)?vinano_session=/.test(c))).toBe(false);
  expect(toWidget.some((c) => c.includes('__Host-vinano_widget='))).toBe(true);
  // A message from another site's frame is ignored and counted.
  pages['/poke'] = `<script>for (let i = 0; i < parent.frames.length; i++) if (parent.frames[i] !== window)
    parent.frames[i].postMessage({vinano: 1, type: 'prompt', text: 'make it sepia'}, '*');</script>`;
  await page.evaluate((src) => {
    (document.getElementById('stranger') as HTMLIFrameElement).src = src;
  }, `http://localhost:${strangerPort}/poke`);
  await expect.poll(() => widget.locator('main.embed').getAttribute('data-ignored')).not.toBe('0');
  await expect(widget.getByText('4 credits left')).toBeVisible();
  // Nothing inside the widget fails an accessibility check.
  const results = await new AxeBuilder({ page }).include('#editor iframe').withTags(['wcag2a', 'wcag2aa']).analyze();
  expect(results.violations.map((v) => v.id)).toEqual([]);

  // A page of a site the partner didn't list can't show the editor at all (the browser refuses).
  const stranger = await (await browser.newContext()).newPage();
  pages['/frame'] = `<iframe src="${vinano}/embed?partner=${id}&origin=http://localhost:${strangerPort}" title="x"></iframe>`;
  await stranger.goto(`http://localhost:${strangerPort}/frame`);
  await stranger.waitForTimeout(1500);
  await expect(stranger.frameLocator('iframe').locator('main.embed')).toHaveCount(0);
  await stranger.context().close();
});

test('a forged token opens nothing; a guest who used the allowance is told so, takes a copy of everything and deletes it', async ({ page }) => {
  const { id } = register(1);
  pages['/forged'] = partnerPage(id, `{mode: 'modal', token: ${JSON.stringify(token(id, 'vns_guessed', 'member-8'))}}`);
  await page.goto(`http://localhost:${partnerPort}/forged`);
  const modal = page.getByRole('dialog', { name: 'ViNano image editor' });
  await expect(modal).toBeVisible();
  await expect(modal.frameLocator('iframe').getByRole('alert')).toContainText("Your sign-in from this site couldn't be checked");
  const error = await page.waitForFunction(() => (window as any).events.find((e: any) => e[0] === 'error'));
  expect((await error.jsonValue())[1].code).toBe('sign_in_refused');
  await page.keyboard.press('Escape');
  await expect(modal).toHaveCount(0);

  pages['/guest'] = partnerPage(id, `{mode: 'inline', target: '#editor'}`);
  await page.goto(`http://localhost:${partnerPort}/guest`);
  const widget = page.frameLocator('#editor iframe');
  await expect(widget.getByText('1 credit left')).toBeVisible();
  await widget.getByRole('textbox').fill('a poster for a summer sale');
  await widget.getByRole('button', { name: 'Send' }).click();
  await expect(widget.getByRole('img', { name: /The result/ })).toBeVisible({ timeout: 45_000 });
  await widget.getByRole('textbox').fill('make it warmer');
  await widget.getByRole('button', { name: 'Send' }).click();
  await expect(widget.getByRole('alert')).toContainText('This costs one credit and you have 0 left. Your credits on this site renew on');

  // The guest's data rights, in the widget: a copy of everything, then deleting everything.
  await widget.getByText('Your data here').click();
  await widget.getByRole('button', { name: 'Download a copy of everything' }).click();
  const save = widget.getByRole('link', { name: 'Save vinano-my-data.zip' });
  await expect(save).toBeVisible({ timeout: 30_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), save.click()]);
  expect(download.suggestedFilename()).toBe('vinano-my-data.zip');
  const zip = readFileSync((await download.path())!);
  expect(zip.subarray(0, 2).toString()).toBe('PK');
  expect(zip.includes('manifest.json')).toBe(true);
  expect(zip.includes('data/users.json')).toBe(true);
  await widget.getByRole('button', { name: 'Delete everything' }).click();
  await expect(widget.getByText("Delete everything you made here, with your account on this site? This can't be undone.")).toBeVisible();
  await widget.getByRole('button', { name: 'Yes, delete everything' }).click();
  await expect(widget.locator('p.embed-status[role=status]')).toHaveText('Everything you made here is deleted.');
  // Opening the widget again starts a new guest, with the allowance afresh.
  await page.reload();
  await expect(page.frameLocator('#editor iframe').getByText('1 credit left')).toBeVisible();
});
