// AI Tools with the real segmentation model and several photos: the product photo tool makes a 2000 × 2000
// marketplace image with white corners and the subject inside its margins; batch edit runs one instruction
// on three photos, one of them cancelled, and downloads the two results as a ZIP made in the browser.
import type { Buffer } from 'node:buffer';
import AdmZip from 'adm-zip';
import { test, expect } from './fixtures';
import { axe, figurePhoto, signUp, solidJpeg } from './helpers';

/** Size, corner colours and the box of non-white pixels of an image file, measured in the page. */
async function inspect(page: import('@playwright/test').Page, file: Buffer, type: string) {
  return page.evaluate(async ([data, type]) => {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type }));
    const [w, h] = [bitmap.width, bitmap.height];
    const g = new OffscreenCanvas(w, h).getContext('2d')!;
    g.drawImage(bitmap, 0, 0);
    const d = g.getImageData(0, 0, w, h).data;
    const at = (x: number, y: number) => Array.from(d.slice((y * w + x) * 4, (y * w + x) * 4 + 3));
    let [x0, y0, x1, y1] = [w, h, -1, -1];
    let gray = true;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const [r, gr, b] = at(x, y);
        if (Math.max(Math.abs(r - gr), Math.abs(gr - b)) > 6) gray = false;
        if (r < 235 || gr < 235 || b < 235) [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
      }
    }
    return { w, h, gray, box: [x0, y0, x1, y1], corners: [at(0, 0), at(w - 1, 0), at(0, h - 1), at(w - 1, h - 1)] };
  }, [file.toString('base64'), type] as const);
}

test('the product photo tool makes a 2000 × 2000 white marketplace image with the subject inside the margins', async ({ page }) => {
  test.setTimeout(120_000);
  await signUp(page, 'shopkeeper');
  await page.goto('/tools');
  await page.getByRole('link', { name: 'Product photos' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Product photos' })).toBeVisible();
  // No photo: said, nothing opens.
  await page.getByRole('button', { name: 'Make the product photo' }).click();
  await expect(page.getByRole('alert')).toHaveText('Choose at least one photo.');
  await expect(page.getByLabel('Square 2000 × 2000')).toBeChecked();
  await expect(page.getByLabel('White')).toBeChecked();
  await page.getByLabel('A gradient').check();
  await expect(page.getByLabel('Second colour (bottom)')).toBeVisible();
  await page.getByLabel('White').check();
  await page.locator('.tool-form input[type=file]').setInputFiles({ name: 'figure.png', mimeType: 'image/png', buffer: await figurePhoto(page) });
  await expect(page.locator('.batch-item')).toContainText('figure.png');
  expect(await axe(page)).toEqual([]);
  await page.getByRole('button', { name: 'Make the product photo' }).click();

  // One photo: the editor opens and makes it there.
  await expect(page).toHaveURL(/\/image\/[0-9a-f]{32}$/, { timeout: 30_000 });
  await expect(page.locator('.msg-user').filter({ hasText: 'Product photo: Square 2000 × 2000, White' })).toBeVisible();
  const result = page.locator('img.result');
  await expect(result).toBeVisible({ timeout: 60_000 });
  const id = (await result.getAttribute('src'))!.match(/images\/([0-9a-f]{32})/)![1];
  const response = await page.request.get(`/api/v1/images/${id}`);
  const shot = await inspect(page, await response.body(), response.headers()['content-type']);
  expect([shot.w, shot.h]).toEqual([2000, 2000]);
  for (const corner of shot.corners) for (const c of corner) expect(c).toBeGreaterThanOrEqual(250);
  // 7 % margins (140 px) on every side; the figure fills the height between them, centred.
  const [x0, y0, x1, y1] = shot.box;
  expect(Math.min(x0, y0)).toBeGreaterThanOrEqual(135);
  expect(Math.max(x1, y1)).toBeLessThanOrEqual(1865);
  expect(Math.max(x1 - x0, y1 - y0)).toBeGreaterThan(1650);
  expect(Math.abs((x0 + x1) / 2 - 1000)).toBeLessThan(40);
});

test('batch edit: three photos, one cancelled, two results in a ZIP', async ({ page }) => {
  test.setTimeout(120_000);
  await signUp(page, 'batcher');
  await page.goto('/tools/batch');
  await expect(page.getByRole('heading', { level: 1, name: 'Batch edit' })).toBeVisible();
  await page.getByRole('button', { name: 'Edit 0 photos' }).click();
  await expect(page.locator('#text-error')).toHaveText('Please type what you would like to do with the image.');
  await page.getByLabel('What to do to every photo').fill('make it black and white');
  await page.getByRole('button', { name: 'Edit 0 photos' }).click();
  await expect(page.getByRole('alert')).toHaveText('Choose at least one photo.');
  const photos = [];
  for (const [name, colour] of [['red', 'rgb(220,40,40)'], ['green', 'rgb(40,180,60)'], ['blue', 'rgb(40,80,220)']]) {
    photos.push({ name: `${name}.jpg`, mimeType: 'image/jpeg', buffer: await solidJpeg(page, 320, 240, colour) });
  }
  await page.locator('.tool-form input[type=file]').setInputFiles(photos);
  await expect(page.locator('.batch-item')).toHaveCount(3);
  expect(await axe(page)).toEqual([]);
  await page.getByRole('button', { name: 'Edit 3 photos' }).click();
  // The third waits its turn; cancelled, it is never uploaded.
  const third = page.locator('.batch-item').filter({ hasText: 'blue.jpg' });
  await third.getByRole('button', { name: 'Cancel' }).click();
  await expect(third.locator('.batch-status')).toHaveText('Cancelled');
  await expect(page.locator('.batch-summary')).toHaveText('2 of 3 done', { timeout: 60_000 });
  await expect(page.locator('.batch-item').filter({ hasText: 'red.jpg' }).locator('.batch-status')).toHaveText('Done');
  await expect(page.locator('img.batch-result')).toHaveCount(2);
  expect(await axe(page)).toEqual([]);

  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download all (ZIP)' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('edited-photos.zip');
  const path = await download.path();
  const zip = new AdmZip(path);
  const names = zip.getEntries().map((e) => e.entryName).sort();
  expect(names).toEqual(['green-edited.jpg', 'red-edited.jpg']);
  for (const name of names) {
    const look = await inspect(page, zip.readFile(name)!, 'image/jpeg');
    expect([look.w, look.h]).toEqual([320, 240]);
    expect(look.gray).toBe(true);
  }
  // Two photos and their two results are stored: nothing of the cancelled one.
  const library = await (await page.request.get('/api/v1/images?limit=50')).json();
  expect(library).toHaveLength(4);

  // The batch is a normal conversation: both edits in its thread.
  await page.getByRole('link', { name: 'Open the conversation' }).click();
  await expect(page).toHaveURL(/\/image\/[0-9a-f]{32}$/);
  await expect(page.locator('img.result')).toHaveCount(2, { timeout: 30_000 });
});
