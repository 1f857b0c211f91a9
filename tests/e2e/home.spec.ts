// Home: a signed-in person starts a conversation from it at once — words, a photo picked or dropped, a
// shortcut's first instruction — and finds their recent creations there; a visitor sees the way in, a
// tour of real examples the local engine made when the app was built, and downloads nothing of the
// signed-in part.
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { attach, axe, pictureIsGray, redBlueJpeg, signUp, solidJpeg } from './helpers';

/** Drops a 120 × 80 red/blue JPEG on the start box, as a file dragged from the desktop. */
async function dropPhoto(page: Page) {
  const jpeg = (await redBlueJpeg(page)).toString('base64');
  await page.locator('.start-box').evaluate((form, data) => {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], 'dropped.jpg', { type: 'image/jpeg' }));
    form.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    form.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, jpeg);
}

test('a conversation starts from Home at once, with a photo and a shortcut, and comes back as a recent creation', async ({ page }) => {
  await signUp(page, 'homer');
  await page.goto('/');
  const box = page.getByLabel('What would you like to make or change?');
  await expect(box).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Your recent creations' })).toHaveCount(0);

  // Nothing to start with: said under the box, nothing opens.
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText("Type what you'd like, or add a photo.");
  await expect(page).toHaveURL(/\/$/);

  // A shortcut fills the box; a dropped photo is listed (and can be removed again).
  await page.getByRole('button', { name: 'Black and white' }).click();
  await expect(box).toHaveValue('make it black and white');
  await expect(box).toBeFocused();
  await dropPhoto(page);
  await expect(page.locator('.start-files')).toContainText('dropped.jpg');
  await page.getByRole('button', { name: 'Remove dropped.jpg' }).click();
  await expect(page.locator('.start-files li')).toHaveCount(0);
  await dropPhoto(page);

  // Start: the editor opens and sends it as soon as the photo is up.
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(page).toHaveURL(/\/image\/[0-9a-f]{32}$/, { timeout: 30_000 });
  const conversation = page.url();
  await expect(page.locator('.msg-user').filter({ hasText: 'make it black and white' })).toBeVisible();
  const result = page.locator('img.result');
  await expect(result).toBeVisible();
  expect(await pictureIsGray(result)).toEqual({ width: 120, height: 80, gray: true });
  await expect(page.getByLabel('Instruction', { exact: true })).toHaveValue('');

  // Home lists it with the photo; a tile opens its conversation.
  await page.goto('/');
  const tiles = page.locator('.home-recent li');
  await expect(tiles).toHaveCount(2);
  expect(await axe(page)).toEqual([]);
  await tiles.first().getByRole('link').click();
  await expect(page).toHaveURL(conversation);

  // Words alone, with Enter: a poster is made in a new conversation.
  await page.goto('/');
  await page.getByLabel('What would you like to make or change?').fill('a poster for a summer sale');
  await page.getByLabel('What would you like to make or change?').press('Enter');
  await expect(page).toHaveURL(/\/image\/[0-9a-f]{32}$/, { timeout: 30_000 });
  expect(page.url()).not.toBe(conversation);
  await expect(page.locator('img.result')).toBeVisible();
});

test('Home suggests the instructions sent again and again, and the results liked', async ({ page }) => {
  await signUp(page, 'habitual');
  await attach(page, { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: await solidJpeg(page, 80, 60) });
  const instruction = page.getByLabel('Instruction', { exact: true });
  for (const n of [1, 2]) {
    await instruction.fill('flip it upside down');
    await instruction.press('Enter');
    await expect(page.locator('img.result')).toHaveCount(n);
  }
  await page.locator('.msg-assistant').last().getByRole('button', { name: 'More for this version' }).click();
  const rated = page.waitForResponse((r) => r.url().endsWith('/feedback') && r.request().method() === 'PUT');
  await page.getByRole('button', { name: 'Good result' }).click();
  expect((await rated).status()).toBe(200);

  await page.goto('/');
  const often = page.getByRole('list', { name: 'You often ask for' });
  await expect(often.getByRole('button')).toHaveText(['flip it upside down (2 times)']);
  await expect(page.getByRole('list', { name: 'Results you liked' }).locator('li')).toHaveCount(1);
  expect(await axe(page)).toEqual([]);
  // A suggestion fills the box, ready to start.
  await often.getByRole('button').click();
  await expect(page.getByLabel('What would you like to make or change?')).toHaveValue('flip it upside down');
  await expect(page.getByLabel('What would you like to make or change?')).toBeFocused();
});

test('a visitor sees the way in, and the signed-in part neither shows nor asks for anything', async ({ page }) => {
  const fetched: string[] = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Edit photos by saying what you want' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Create a free account' }).first()).toBeVisible();
  await expect(page.getByRole('heading', { name: 'See what it does' })).toBeVisible();
  await expect(page.getByLabel('What would you like to make or change?')).toHaveCount(0);
  // No recent creations, suggestions or presets are asked for.
  expect(fetched.filter((p) => /\/api\/v1\/(images|suggestions|presets)/.test(p))).toEqual([]);
});

test("a visitor's tour shows real before-and-after examples, on a phone and on a desktop", async ({ page }) => {
  for (const [width, height, columns] of [[390, 844, 1], [1280, 900, 2]]) {
    await page.setViewportSize({ width, height });
    await page.goto('/');
    const tour = page.getByRole('region', { name: 'See what it does' });
    await tour.scrollIntoViewIfNeeded();
    await expect(tour).toBeVisible();
    const cards = tour.locator('.tour-card');
    await expect(cards).toHaveCount(4);
    await expect(cards.first()).toContainText('“Make it warmer and crop it square”');
    // Every picture is there: the photo and what the engine made of it (the crop is square, the poster 4:5).
    const sizes = [];
    for (const img of await tour.locator('img').all()) {
      await img.scrollIntoViewIfNeeded();
      await expect(img).toHaveJSProperty('complete', true);
      const size = await img.evaluate((i: HTMLImageElement) => [i.naturalWidth, i.naturalHeight, i.alt]);
      expect(size[0], `${size[2]} loaded`).toBeGreaterThan(100);
      sizes.push(size);
    }
    expect(sizes).toHaveLength(7);
    expect(sizes[1][0]).toBe(sizes[1][1]);
    expect(sizes[1][2]).toBe('A cup of coffee on a saucer, on a wooden table, after “Make it warmer and crop it square”');
    expect(sizes[6][0] / sizes[6][1]).toBeCloseTo(0.8, 2);
    // Side by side on a desktop, one under the other on a phone; nothing wider than the screen.
    const lefts = new Set(await cards.evaluateAll((all) => all.map((c) => Math.round(c.getBoundingClientRect().left))));
    expect(lefts.size).toBe(columns);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    expect(await axe(page)).toEqual([]);
  }
  await page.getByRole('region', { name: 'See what it does' }).getByRole('link', { name: 'Create a free account' }).click();
  await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible();
});
