// Nothing jumps while a page loads: opening a conversation with results (phone size, the images arriving
// after the text) and opening Me (the account arriving after the page) move nothing that was already on
// the screen — the layout shifts Chromium reports add up to almost nothing (Lighthouse's CLS). Before the
// app has loaded, index.html paints its frame (the top bar), which the app replaces in place.
import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';
import { attach, redBlueJpeg, signUp, solidJpeg } from './helpers';

/** Opens `path` and returns the sum of the layout shifts Chromium reports while it loads. */
async function shiftsWhileOpening(page: Page, path: string, loaded: () => Promise<void>): Promise<number> {
  await page.goto(path);
  await loaded();
  // Let late images and the account settle.
  await page.waitForLoadState('networkidle');
  return page.evaluate(() => (window as any).__shift as number);
}

test('opening a conversation or Me moves nothing already shown', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await context.addInitScript(() => {
    (window as any).__shift = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as any[]) if (!entry.hadRecentInput) (window as any).__shift += entry.value;
    }).observe({ type: 'layout-shift', buffered: true });
  });
  const page = await context.newPage();
  await signUp(page, 'steady');
  await attach(page, { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: await redBlueJpeg(page) });
  const instruction = page.getByLabel('Instruction', { exact: true });
  for (const [i, ask] of ['make it warmer', 'a poster for a summer sale', 'crop it square'].entries()) {
    await instruction.fill(ask);
    await instruction.press('Enter');
    await expect(page.locator('img.result')).toHaveCount(i + 1);
  }
  const conversation = new URL(page.url()).pathname;
  // A slow connection: every answer of the API (the account, the conversation, each image) comes 400 ms
  // after the page has painted what it had.
  await context.route('**/api/v1/**', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 400));
    await route.continue();
  });

  const thread = await shiftsWhileOpening(page, conversation, async () => {
    await expect(page.locator('img.result')).toHaveCount(3);
    await expect(page.locator('img.result').last()).toBeInViewport();
  });
  expect(thread, 'layout shift opening a conversation').toBeLessThan(0.05);
  // Every image has its place before it arrives: the thread shows the newest result whole.
  await expect(page.locator('img.result').last()).toBeInViewport({ ratio: 1 });

  const me = await shiftsWhileOpening(page, '/me', async () => {
    await expect(page.getByRole('heading', { name: 'Appearance' })).toBeVisible();
  });
  expect(me, 'layout shift opening Me').toBeLessThan(0.05);
  await context.close();
});

test('while the app loads, its frame is on the screen; when it starts, the frame makes way', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  // A slow connection: the app's WASM arrives only when the test lets it.
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/vinano-web-[0-9a-f]+_bg\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto('/', { waitUntil: 'domcontentloaded' });
  const boot = page.locator('#boot');
  await expect(boot.locator('.brand')).toHaveText('◆ViNano');
  await expect(page.getByRole('progressbar', { name: 'ViNano is starting' })).toBeVisible();
  const before = (await boot.locator('.brand').boundingBox())!;
  release();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(boot).toHaveCount(0);
  // The real brand is where the frame's was.
  const after = (await page.locator('header.topbar .brand').boundingBox())!;
  expect(Math.abs(after.x - before.x) + Math.abs(after.y - before.y)).toBeLessThan(1);
  await context.close();
});

test("if the app can't start, the frame says so instead of loading forever", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.route(/vinano-web-[0-9a-f]+_bg\.wasm$/, (route) => route.abort('internetdisconnected'));
  await page.goto('/', { waitUntil: 'domcontentloaded' });
  await expect(page.getByRole('alert')).toHaveText("ViNano couldn't start. Check your connection, then reload the page.");
  await expect(page.getByRole('progressbar')).toHaveCount(0);
  await context.close();
});

test('a browser without WebAssembly SIMD is asked to update, not to check its connection', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-TW' });
  const page = await context.newPage();
  // Such a browser refuses the SIMD probe, and then can't compile the app's bundle.
  await page.addInitScript(() => {
    const validate = WebAssembly.validate;
    WebAssembly.validate = (bytes) => (new Uint8Array(bytes as ArrayBuffer).includes(253) ? false : validate(bytes));
  });
  await page.route(/vinano-web-[0-9a-f]+_bg\.wasm$/, (route) => route.abort('failed'));
  await page.goto('/', { waitUntil: 'domcontentloaded' });
  await expect(page.getByRole('alert')).toHaveText(/^ViNano 需要較新的瀏覽器。請更新這個瀏覽器/);
  await expect(page.getByRole('progressbar')).toHaveCount(0);
  await context.close();
});

test('on a phone, a photo in the thread loads a thumbnail-sized preview, a result a screen-wide one', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await signUp(page, 'previews');
  await attach(page, { name: 'big.jpg', mimeType: 'image/jpeg', buffer: await solidJpeg(page, 1600, 1200) });
  const instruction = page.getByLabel('Instruction', { exact: true });
  await instruction.fill('make it warmer');
  await instruction.press('Enter');
  await expect(page.locator('img.result')).toHaveCount(1);
  const source = (selector: string) =>
    page.locator(selector).last().evaluate((img: HTMLImageElement) => img.complete && img.currentSrc);
  // The photo is shown 13.3rem (213 px) wide at most, 10rem tall: the 256 px preview's job.
  await expect.poll(() => source('img.original')).toMatch(/\?size=256$/);
  // The result fills the thread (≈ 340 px): the 768 px preview.
  await expect.poll(() => source('img.result')).toMatch(/\?size=768$/);
  await context.close();
});
