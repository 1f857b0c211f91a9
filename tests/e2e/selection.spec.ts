// Brush edits: on a photo in the thread, "Select area" opens the brush; strokes painted with the mouse
// (desktop) or a finger (phone) become the selection that goes with the next instruction. "erase this"
// fills the brushed block from the wall around it; "make this brighter" brightens only what was brushed;
// undo takes a stroke back; "Select subject" paints the server's segmentation in, and "Tap subject" the
// subject under a finger; naming something to remove without a selection gets a request to brush over
// it, and nothing is edited. Screenshots of the brush at both sizes are kept with the results.
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { attach, figurePhoto, signUp } from './helpers';

/** A 320 × 240 PNG drawn in the page: a striped grey wall with a red block at 140..200 × 90..150. */
async function wallWithBlock(page: Page): Promise<Buffer> {
  const dataUrl = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 320;
    c.height = 240;
    const g = c.getContext('2d')!;
    for (let y = 0; y < 240; y++) {
      for (let x = 0; x < 320; x++) {
        g.fillStyle = (x + y) % 16 < 8 ? 'rgb(90,110,130)' : 'rgb(140,150,160)';
        g.fillRect(x, y, 1, 1);
      }
    }
    g.fillStyle = 'rgb(220,30,40)';
    g.fillRect(140, 90, 60, 60);
    return c.toDataURL('image/png');
  });
  return Buffer.from(dataUrl.split(',')[1], 'base64');
}

/** The last result's pixels: how many are red, and the mean of the left and right quarters' blue. */
async function inspect(page: Page) {
  return page.locator('img.result').last().evaluate(async (shown: HTMLImageElement) => {
    const el = new Image();
    el.src = shown.getAttribute('src')!.split('?')[0];
    await el.decode();
    const c = document.createElement('canvas');
    [c.width, c.height] = [el.naturalWidth, el.naturalHeight];
    const g = c.getContext('2d')!;
    g.drawImage(el, 0, 0);
    const { data } = g.getImageData(0, 0, c.width, c.height);
    let red = 0, left = 0, right = 0, nl = 0, nr = 0;
    for (let y = 0; y < c.height; y++) {
      for (let x = 0; x < c.width; x++) {
        const i = (y * c.width + x) * 4;
        if (data[i] > 180 && data[i + 1] < 80) red++;
        if (x < c.width / 4) { left += data[i + 2]; nl++; }
        if (x >= (c.width * 3) / 4) { right += data[i + 2]; nr++; }
      }
    }
    return { width: c.width, height: c.height, red, left: left / nl, right: right / nr };
  });
}

/** Where photo point (x, y) of the 320 × 240 photo is on the screen, over the brush's canvas. */
async function at(page: Page, x: number, y: number) {
  const box = (await page.locator('canvas.mask-canvas').boundingBox())!;
  return { x: box.x + (x / 320) * box.width, y: box.y + (y / 240) * box.height };
}

/** Signs up and adds the photo to a new thread. */
async function start(page: Page, name: string) {
  await signUp(page, name);
  await attach(page, { name: 'wall.png', mimeType: 'image/png', buffer: await wallWithBlock(page) });
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page).toHaveURL(/\/image\/[0-9a-f]{32}$/);
  await expect(page.getByRole('button', { name: 'Select area' })).toBeVisible();
}

test('brush over a block with the mouse, undo a stray stroke, "erase this"', async ({ page }, info) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await start(page, 'brusher');

  // Without a selection, naming what to remove asks for one.
  await page.getByLabel('Instruction', { exact: true }).fill('remove the red block on the right');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.locator('.thread').getByText(/Tap "Select area", brush over what should go/)).toBeVisible();
  await expect(page.locator('img.result')).toHaveCount(0);

  await page.getByRole('button', { name: 'Select area' }).click();
  const dialog = page.getByRole('dialog', { name: 'Select area' });
  await expect(dialog).toBeVisible();
  // "Use selection" with nothing brushed says so.
  await dialog.getByRole('button', { name: 'Use selection' }).click();
  await expect(dialog.getByText('Nothing is selected yet')).toBeVisible();
  // Paint the block in rows with a brush wider than the gaps.
  await dialog.getByLabel('Size').fill('40');
  for (let y = 88; y <= 152; y += 8) {
    const a = await at(page, 136, y);
    const b = await at(page, 204, y);
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move(b.x, b.y, { steps: 8 });
    await page.mouse.up();
  }
  // A stray stroke on the wall, taken back with Undo.
  const s = await at(page, 30, 30);
  await page.mouse.move(s.x, s.y);
  await page.mouse.down();
  await page.mouse.move(s.x + 20, s.y + 5, { steps: 4 });
  await page.mouse.up();
  const painted = (x: number, y: number) =>
    page.locator('canvas.mask-canvas').evaluate((c: HTMLCanvasElement, [px, py]) => {
      const g = c.getContext('2d')!;
      return g.getImageData(Math.round((px / 320) * c.width), Math.round((py / 240) * c.height), 1, 1).data[3] > 0;
    }, [x, y]);
  expect(await painted(32, 31)).toBe(true);
  await dialog.getByRole('button', { name: 'Undo' }).click();
  expect(await painted(32, 31)).toBe(false);
  expect(await painted(170, 120)).toBe(true);
  // "Select subject": the server's segmentation is painted in (how well the model finds a subject is the
  // API tests' business, on a photo made for it: this striped wall confuses it), and Undo takes it back.
  const coverage = () =>
    page.locator('canvas.mask-canvas').evaluate((c: HTMLCanvasElement) => {
      const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
      return n / (c.width * c.height);
    });
  const brushed = await coverage();
  await dialog.getByRole('button', { name: 'Select subject' }).click();
  await expect(dialog.getByRole('button', { name: 'Select subject' })).toBeEnabled({ timeout: 30_000 });
  expect(await coverage()).toBeGreaterThan(brushed + 0.05);
  await dialog.getByRole('button', { name: 'Undo' }).click();
  expect(await coverage()).toBeCloseTo(brushed, 5);
  await info.attach('brush-1280', { body: await page.screenshot({ path: info.outputPath('brush-1280.png') }), contentType: 'image/png' });
  await dialog.getByRole('button', { name: 'Use selection' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('Selected area: the next instruction works only there')).toBeVisible();

  await page.getByLabel('Instruction', { exact: true }).fill('erase this');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.locator('.thread').getByText('Done: erase the selected area (filled from its surroundings).')).toBeVisible({ timeout: 30_000 });
  const px = await inspect(page);
  expect([px.width, px.height]).toEqual([320, 240]);
  expect(px.red).toBe(0);
  // The chip is gone after the send.
  await expect(page.getByText('Selected area: the next instruction works only there')).toHaveCount(0);
});

test('on a phone, brush by touch and "make this brighter" brightens only the brushed side', async ({ browser }, info) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await start(page, 'toucher');
  await page.getByRole('button', { name: 'Select area' }).click();
  const dialog = page.getByRole('dialog', { name: 'Select area' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Size').fill('120');
  const canvas = page.locator('canvas.mask-canvas');
  // A finger dragged down the left quarter, twice (pointer events as a touch screen sends them).
  for (const x of [20, 60]) {
    const a = await at(page, x, 0);
    const b = await at(page, x, 240);
    await canvas.dispatchEvent('pointerdown', { pointerId: 7, pointerType: 'touch', isPrimary: true, clientX: a.x, clientY: a.y, bubbles: true });
    for (let i = 1; i <= 12; i++) {
      const y = a.y + ((b.y - a.y) * i) / 12;
      await canvas.dispatchEvent('pointermove', { pointerId: 7, pointerType: 'touch', isPrimary: true, clientX: a.x, clientY: y, bubbles: true });
    }
    await canvas.dispatchEvent('pointerup', { pointerId: 7, pointerType: 'touch', isPrimary: true, clientX: b.x, clientY: b.y, bubbles: true });
  }
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  expect(scroll).toBeLessThanOrEqual(client);
  await info.attach('brush-390', { body: await page.screenshot({ path: info.outputPath('brush-390.png') }), contentType: 'image/png' });
  await dialog.getByRole('button', { name: 'Use selection' }).click();
  await page.getByLabel('Instruction', { exact: true }).fill('make this much brighter');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.locator('.thread').getByText('Done: brightness +40%, inside the selection.')).toBeVisible({ timeout: 30_000 });
  const px = await inspect(page);
  // The wall's blue is about 145 on both sides before; only the left quarter got brighter.
  expect(px.left).toBeGreaterThan(180);
  expect(px.right).toBeGreaterThan(135);
  expect(px.right).toBeLessThan(155);
  await context.close();
});

test('on a phone, "Tap subject" selects the figure under a finger, and a tap on the wall says nothing is there', async ({ browser }, info) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await signUp(page, 'tapper');
  await attach(page, { name: 'figure.png', mimeType: 'image/png', buffer: await figurePhoto(page) });
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page).toHaveURL(/\/image\/[0-9a-f]{32}$/);
  await page.getByRole('button', { name: 'Select area' }).click();
  const dialog = page.getByRole('dialog', { name: 'Select area' });
  await dialog.getByRole('button', { name: 'Tap subject' }).click();
  await expect(dialog.getByRole('button', { name: 'Tap subject' })).toHaveAttribute('aria-pressed', 'true');
  await expect(dialog.getByText('Tap a person or thing in the photo to select it')).toBeVisible();
  const canvas = page.locator('canvas.mask-canvas');
  const box = (await canvas.boundingBox())!;
  const tap = async (fx: number, fy: number) => {
    const [clientX, clientY] = [box.x + fx * box.width, box.y + fy * box.height];
    const asked = page.waitForResponse((r) => r.url().includes('/subject?x='));
    await canvas.dispatchEvent('pointerdown', { pointerId: 3, pointerType: 'touch', isPrimary: true, clientX, clientY, bubbles: true });
    await canvas.dispatchEvent('pointerup', { pointerId: 3, pointerType: 'touch', isPrimary: true, clientX, clientY, bubbles: true });
    return asked;
  };
  // The body of the figure: the figure is painted in, and the wall around it is not.
  const answer = await tap(0.5, 0.7);
  const url = new URL(answer.url());
  expect(Number(url.searchParams.get('x'))).toBeCloseTo(0.5, 2);
  expect(Number(url.searchParams.get('y'))).toBeCloseTo(0.7, 2);
  expect(answer.status()).toBe(200);
  const painted = (fx: number, fy: number) =>
    canvas.evaluate((c: HTMLCanvasElement, [x, y]) => c.getContext('2d')!.getImageData(Math.round(x * c.width), Math.round(y * c.height), 1, 1).data[3] > 128, [fx, fy]);
  await expect.poll(() => painted(0.5, 0.3)).toBe(true);
  expect(await painted(0.5, 0.7)).toBe(true);
  expect(await painted(0.05, 0.1)).toBe(false);
  expect(await painted(0.9, 0.5)).toBe(false);
  await info.attach('tap-390', { body: await page.screenshot({ path: info.outputPath('tap-390.png') }), contentType: 'image/png' });
  // The wall far from it: nothing stands out there, in words, and nothing more is painted.
  expect((await tap(0.05, 0.1)).status()).toBe(422);
  await expect(dialog.getByText('Nothing stands out where you tapped')).toBeVisible();
  expect(await painted(0.05, 0.1)).toBe(false);
  await context.close();
});
