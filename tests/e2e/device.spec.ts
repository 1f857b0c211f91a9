// "Edit on this device": with the switch on, a photo is prepared in the browser and never uploaded, every
// instruction runs in the on-device worker (the engine, and U²-Net-p for the background), brushed areas
// included — and the network log shows no request to /api at all until "Save to conversation", which
// stores that one version in the thread. Me → Privacy says what it means and sets this browser's default.
import type { Page, Request } from '@playwright/test';
import { test, expect } from './fixtures';
import { figurePhoto, signUp } from './helpers';

/** The pixels of the newest version made on the device, at fractions of its size: [r, g, b, a] each. */
async function pixels(page: Page, points: [number, number][]) {
  return page.locator('.device-thread img.result').last().evaluate(async (shown: HTMLImageElement, at) => {
    const el = new Image();
    el.src = shown.src;
    await el.decode();
    const c = document.createElement('canvas');
    [c.width, c.height] = [el.naturalWidth, el.naturalHeight];
    const g = c.getContext('2d')!;
    g.drawImage(el, 0, 0);
    return at.map(([fx, fy]) => Array.from(g.getImageData(Math.floor(fx * c.width), Math.floor(fy * c.height), 1, 1).data));
  }, points);
}

/** Turns "Edit on this device" on in the composer's settings. */
async function editOnDevice(page: Page) {
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Edit on this device').check();
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByTestId('device-chip')).toHaveText(/nothing is uploaded until you save a version/);
}

/** Sends `words` and waits for the device's reply to say `said`. */
async function instruct(page: Page, words: string, said: string | RegExp) {
  const replies = page.getByTestId('device-reply');
  const before = await replies.count();
  await page.getByLabel('Instruction', { exact: true }).fill(words);
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(replies).toHaveCount(before + 1);
  await expect(replies.last().locator('.msg-text')).toHaveText(said, { timeout: 90_000 });
}

test('on a phone: attach, edit, brush and cut out on the device with no request to /api, then save one version', async ({ browser }, info) => {
  // The worker and the model load once, and the model runs on a loaded 2-core machine.
  test.setTimeout(240_000);
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await signUp(page, 'ondevice');
  await editOnDevice(page);
  const api: string[] = [];
  page.on('request', (r: Request) => {
    if (new URL(r.url()).pathname.startsWith('/api/')) api.push(`${r.method()} ${new URL(r.url()).pathname}`);
  });
  const models: string[] = [];
  page.on('request', (r: Request) => {
    if (new URL(r.url()).pathname.startsWith('/models/')) models.push(r.url());
  });

  await page.getByLabel('Attach a photo', { exact: true }).setInputFiles({ name: 'figure.png', mimeType: 'image/png', buffer: await figurePhoto(page) });
  await expect(page.getByTestId('device-reply').first()).toContainText('Your photo, on this device only.');
  const [wall] = await pixels(page, [[0.05, 0.1]]);

  await instruct(page, 'make it warmer', 'Done: warmer +20%.');
  const [warm] = await pixels(page, [[0.05, 0.1]]);
  expect(warm[0]).toBeGreaterThan(wall[0]);
  expect(warm[2]).toBeLessThan(wall[2]);

  // Brush over the top-left corner of the wall by touch, and make only that black and white.
  const reply = page.getByTestId('device-reply').last();
  await reply.getByRole('button', { name: 'Select an area' }).click();
  const dialog = page.getByRole('dialog', { name: 'Select area' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Tap subject' })).toHaveCount(0);
  await dialog.getByLabel('Size').fill('60');
  const canvas = page.locator('canvas.mask-canvas');
  const box = (await canvas.boundingBox())!;
  for (const fy of [0.04, 0.12, 0.2]) {
    const stroke = (type: string, fx: number) =>
      canvas.dispatchEvent(type, { pointerId: 5, pointerType: 'touch', isPrimary: true, clientX: box.x + fx * box.width, clientY: box.y + fy * box.height, bubbles: true });
    await stroke('pointerdown', 0.01);
    for (const fx of [0.08, 0.16, 0.24]) await stroke('pointermove', fx);
    await stroke('pointerup', 0.24);
  }
  await dialog.getByRole('button', { name: 'Use selection' }).click();
  await expect(dialog).toBeHidden();
  await instruct(page, 'make this black and white', /^Done: black and white/);
  const [grey, untouched] = await pixels(page, [[0.08, 0.1], [0.5, 0.7]]);
  expect(Math.abs(grey[0] - grey[2])).toBeLessThan(4);
  expect(untouched[0] - untouched[2]).toBeGreaterThan(10);

  // The background: the model comes from this site (not /api), and runs in the worker.
  await instruct(page, 'remove the background', 'Done: remove background (transparent).');
  const [corner, head, bodyPx] = await pixels(page, [[0.03, 0.05], [0.5, 0.3], [0.5, 0.7]]);
  expect(corner[3]).toBe(0);
  expect(head[3]).toBe(255);
  expect(bodyPx[3]).toBe(255);
  expect(models).toHaveLength(1);
  expect(api).toEqual([]);
  await info.attach('device-390', { body: await page.screenshot({ path: info.outputPath('device-390.png') }), contentType: 'image/png' });

  // Saving one version is the first time anything reaches the server: it joins a new conversation.
  await page.getByTestId('device-reply').last().getByRole('button', { name: 'Save to conversation' }).click();
  await expect(page).toHaveURL(/\/image\/[0-9a-f]{32}$/);
  await expect(page.locator('.thread:not(.device-thread)').getByText('remove the background', { exact: true })).toBeVisible();
  await expect(page.locator('.thread:not(.device-thread) img.result')).toHaveCount(1);
  expect(api.filter((r) => r.startsWith('POST'))).toEqual([
    'POST /api/v1/conversations',
    expect.stringMatching(/^POST \/api\/v1\/conversations\/[0-9a-f]{32}\/device-edits$/),
  ]);
  // The versions not saved are still here, marked as such; the saved one left the device's list.
  await expect(page.getByTestId('device-reply')).toHaveCount(3);
  await expect(page.getByTestId('device-reply').first()).toContainText('On this device · not saved');
  await context.close();
});

test('Me → Privacy explains it and makes it this browser\'s default; a poster is made on the device too', async ({ page }, info) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  await signUp(page, 'devdefault');
  await page.goto('/me');
  await expect(page.getByText(/Nothing — not the photo, not your words, not the result — is sent to us/)).toBeVisible();
  await page.getByLabel('Start new conversations on this device (this browser only)').check();
  await page.goto('/image');
  await expect(page.getByTestId('device-chip')).toBeVisible();
  await page.waitForLoadState('networkidle');
  const api: string[] = [];
  page.on('request', (r: Request) => {
    if (new URL(r.url()).pathname.startsWith('/api/')) api.push(r.url());
  });
  await instruct(page, 'a poster for a summer sale', /^Done/);
  const [middle] = await pixels(page, [[0.5, 0.5]]);
  expect(middle[3]).toBe(255);
  await expect(page.getByTestId('device-reply').last().getByRole('link', { name: 'Download' })).toHaveAttribute('download', /\.(png|jpg)$/);
  // A clip needs the server, and says so.
  await instruct(page, 'make a video', /Clips are made on the server/);
  expect(api).toEqual([]);
  await info.attach('device-1280', { body: await page.screenshot({ path: info.outputPath('device-1280.png') }), contentType: 'image/png' });
});
