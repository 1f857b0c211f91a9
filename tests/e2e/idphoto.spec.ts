// The ID photo tool on a real face (NASA's public-domain portrait of Eileen Collins, fetched by `cargo xtask
// bootstrap`): 413 × 531 px for 35 × 45 mm, 300 dpi written in the file, a white background, the crown where
// the standard puts it; moved lower by hand, the head sits lower in the next one.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Buffer } from 'node:buffer';
import { test, expect } from './fixtures';
import { axe, signUp } from './helpers';

const portrait = readFileSync(join(__dirname, '../../target/models/astronaut.png'));

/** Dots per inch a PNG (pHYs) or JPEG (JFIF) file says it is made for. */
function dpi(file: Buffer): number | null {
  const phys = file.indexOf('pHYs');
  if (file[1] === 0x50 && phys > 0 && file[phys + 12] === 1) return Math.round(file.readUInt32BE(phys + 4) * 0.0254);
  if (file[0] === 0xff && file[13] === 1) return file.readUInt16BE(14);
  return null;
}

/** Size, corner colours and the crown (the first row, from the top, where the middle band is not the
 * background's colour). */
async function look(page: import('@playwright/test').Page, file: Buffer) {
  return page.evaluate(async (data) => {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes]));
    const [w, h] = [bitmap.width, bitmap.height];
    const g = new OffscreenCanvas(w, h).getContext('2d')!;
    g.drawImage(bitmap, 0, 0);
    const d = g.getImageData(0, 0, w, h).data;
    const at = (x: number, y: number) => Array.from(d.slice((y * w + x) * 4, (y * w + x) * 4 + 3));
    const background = at(2, 2);
    let crown = -1;
    for (let y = 0; y < h && crown < 0; y++) {
      let n = 0;
      for (let x = Math.floor(w * 0.35); x < w * 0.65; x++) if (at(x, y).some((c, i) => Math.abs(c - background[i]) > 30)) n++;
      if (n > 5) crown = y;
    }
    return { w, h, crown, corners: [at(2, 2), at(w - 3, 2), at(2, Math.floor(h / 2))] };
  }, file.toString('base64'));
}

async function made(page: import('@playwright/test').Page, n: number) {
  const result = page.locator('img.result').nth(n - 1);
  await expect(result).toBeVisible({ timeout: 60_000 });
  const id = (await result.getAttribute('src'))!.match(/images\/([0-9a-f]{32})/)![1];
  return (await page.request.get(`/api/v1/images/${id}`)).body();
}

test('an ID photo is 413 × 531 px at 300 dpi on white, and a hand adjustment moves the head', async ({ page }) => {
  test.setTimeout(120_000);
  await signUp(page, 'traveller');
  await page.goto('/tools');
  await page.getByRole('link', { name: 'ID and passport photos' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'ID and passport photos' })).toBeVisible();
  await page.getByRole('button', { name: 'Make the ID photo' }).click();
  await expect(page.getByRole('alert')).toHaveText('Choose a photo of your face.');
  await expect(page.getByLabel('35 × 45 mm')).toBeChecked();
  await expect(page.getByLabel('White')).toBeChecked();
  await page.locator('.tool-photo input[type=file]').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: portrait });
  await page.getByText('Adjust by hand').click();
  expect(await axe(page)).toEqual([]);
  await page.getByRole('button', { name: 'Make the ID photo' }).click();

  await expect(page).toHaveURL(/\/image\/[0-9a-f]{32}$/, { timeout: 30_000 });
  await expect(page.locator('.msg-user').filter({ hasText: 'ID photo: 35 × 45 mm, White background' })).toBeVisible();
  const file = await made(page, 1);
  expect(dpi(file)).toBe(300);
  const photo = await look(page, file);
  expect([photo.w, photo.h]).toEqual([413, 531]);
  for (const corner of photo.corners) for (const c of corner) expect(c).toBeGreaterThanOrEqual(245);
  // The crown 4 mm below the top edge (47 px), give or take a millimetre.
  expect(Math.abs(photo.crown - 47)).toBeLessThanOrEqual(12);

  // By hand: the head 10 % lower, on light blue.
  await page.goto('/tools/id');
  await page.getByLabel('Light blue').check();
  await page.getByText('Adjust by hand').click();
  await page.getByLabel('Head lower (negative: higher)').fill('10');
  await expect(page.locator('output[for=id-down]')).toHaveText('10 %');
  await page.locator('.tool-photo input[type=file]').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: portrait });
  await page.getByRole('button', { name: 'Make the ID photo' }).click();
  await expect(page).toHaveURL(/\/image\/[0-9a-f]{32}$/, { timeout: 30_000 });
  const lower = await look(page, await made(page, 1));
  expect(lower.corners[0][2]).toBeGreaterThan(lower.corners[0][0] + 20);
  expect(lower.crown - photo.crown).toBeGreaterThan(40);
  expect(lower.crown - photo.crown).toBeLessThan(66);
});
