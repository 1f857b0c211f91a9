// AI Tools: the poster maker makes an A4 print poster (2480 × 3508 at 300 dpi) with its title's ink where the
// layout puts it, and an enhance preset edits a photo; each ends in a normal conversation. A visitor is
// asked to sign in, and every page passes axe.
import type { Buffer } from 'node:buffer';
import { test, expect } from './fixtures';
import { axe, signUp, solidJpeg } from './helpers';

/** Size, print density and red ink per band of rows of a JPEG, measured in the page. */
async function measure(page: import('@playwright/test').Page, jpeg: Buffer, bands: [number, number][]) {
  const dpi = jpeg[13] === 1 ? jpeg.readUInt16BE(14) : null;
  const look = await page.evaluate(async ([data, bands]) => {
    const bytes = Uint8Array.from(atob(data as string), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/jpeg' }));
    const c = new OffscreenCanvas(bitmap.width, bitmap.height);
    const g = c.getContext('2d')!;
    g.drawImage(bitmap, 0, 0);
    const red = (bands as [number, number][]).map(([from, to]) => {
      const d = g.getImageData(0, from, bitmap.width, to - from).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] > 200 && d[i + 1] < 70 && d[i + 2] < 70) n++;
      return n;
    });
    return { width: bitmap.width, height: bitmap.height, red };
  }, [jpeg.toString('base64'), bands] as const);
  return { ...look, dpi };
}

test('the poster maker makes an A4 print poster, and an enhance preset edits a photo', async ({ page }) => {
  await signUp(page, 'toolsmith');
  await page.goto('/tools');
  await expect(page.getByRole('heading', { level: 1, name: 'AI Tools' })).toBeVisible();
  expect(await axe(page)).toEqual([]);
  await page.getByRole('link', { name: 'Poster maker' }).click();
  await expect(page).toHaveURL(/\/tools\/poster$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Poster maker' })).toBeVisible();

  // No title: said under the field, nothing opens.
  await page.getByRole('button', { name: 'Make the poster' }).click();
  await expect(page.locator('#title-error')).toHaveText("This can't be empty.");
  await expect(page.getByLabel('Title', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  expect(await axe(page)).toEqual([]);

  await page.getByLabel('Title', { exact: true }).fill('SUMMER SALE');
  await page.getByLabel('Subtitle (optional)').fill('Everything half price');
  await page.getByLabel('Date, time or place (optional)').fill('Sat 12 July, Main Street');
  await page.getByLabel('Size').selectOption('a4');
  await page.getByLabel('Style').selectOption('circles');
  await page.getByLabel('Night').check();
  await page.getByLabel('Colour of the words').fill('#e01010');
  await page.getByRole('button', { name: 'Make the poster' }).click();

  // The editor opens with the form's words and makes the poster.
  await expect(page).toHaveURL(/\/image\/[0-9a-f]{32}$/, { timeout: 30_000 });
  await expect(page.locator('.msg-user').filter({ hasText: 'Poster maker: “SUMMER SALE”, A4 print, 300 dpi' })).toBeVisible();
  const result = page.locator('img.result');
  await expect(result).toBeVisible({ timeout: 60_000 });
  const id = (await result.getAttribute('src'))!.match(/images\/([0-9a-f]{32})/)![1];
  const file = await (await page.request.get(`/api/v1/images/${id}`)).body();
  // The circles layout writes the title from 30 % of the height down: no ink above, much in its band.
  const top = Math.floor(3508 * 0.3);
  const poster = await measure(page, file, [[0, top - 10], [top, top + 420]]);
  expect(poster.width).toBe(2480);
  expect(poster.height).toBe(3508);
  expect(poster.dpi).toBe(300);
  expect(poster.red[0]).toBe(0);
  expect(poster.red[1]).toBeGreaterThan(50_000);

  // Enhance: a photo is needed; with one, the preset's version joins the thread next to it.
  await page.goto('/tools/enhance');
  await page.getByRole('button', { name: 'Enhance the photo' }).click();
  await expect(page.getByRole('alert')).toHaveText('Choose the photo to enhance.');
  await page.getByLabel('Food').check();
  const photo = await solidJpeg(page, 160, 120, 'rgb(150,110,90)');
  await page.locator('.tool-photo input[type=file]').setInputFiles({ name: 'dish.jpg', mimeType: 'image/jpeg', buffer: photo });
  await expect(page.locator('.tool-photo')).toContainText('dish.jpg');
  expect(await axe(page)).toEqual([]);
  await page.getByRole('button', { name: 'Enhance the photo' }).click();
  await expect(page).toHaveURL(/\/image\/[0-9a-f]{32}$/, { timeout: 30_000 });
  await expect(page.locator('.msg-user').filter({ hasText: 'Enhance preset: Food' })).toBeVisible();
  await expect(page.locator('img.result')).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('img.original')).toBeVisible();
});

test('a visitor is asked to sign in before using a tool', async ({ page }) => {
  await page.goto('/tools/poster');
  await expect(page.getByRole('heading', { level: 1, name: 'Poster maker' })).toBeVisible();
  await expect(page.getByText('Log in or sign up to use the tools')).toBeVisible();
  await expect(page.getByLabel('Title', { exact: true })).toHaveCount(0);
  expect(await axe(page)).toEqual([]);
});
