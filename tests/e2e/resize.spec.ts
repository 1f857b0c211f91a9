// The social media resizer, on the device only and open to visitors: one photo becomes the seven sizes with
// their exact pixels, a ZIP made in the browser; the focus point moved to one side keeps that side in a tall
// crop, and "Find the subject" puts it on the person; no request goes to /api while it works.
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AdmZip from 'adm-zip';
import { test, expect } from './fixtures';
import { axe, redBlueJpeg } from './helpers';

const portrait = readFileSync(join(__dirname, '../../target/models/astronaut.png'));

const SIZES: [string, number, number][] = [
  ['instagram-square', 1080, 1080],
  ['instagram-portrait', 1080, 1350],
  ['instagram-story', 1080, 1920],
  ['facebook-cover', 1640, 624],
  ['x-header', 1500, 500],
  ['linkedin-banner', 1584, 396],
  ['youtube-thumbnail', 1280, 720],
];

/** Size and mean colour of a JPEG, decoded in the page. */
async function look(page: import('@playwright/test').Page, file: Buffer) {
  return page.evaluate(async (data) => {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/jpeg' }));
    const g = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d')!;
    g.drawImage(bitmap, 0, 0);
    const d = g.getImageData(0, 0, bitmap.width, bitmap.height).data;
    const mean = [0, 0, 0];
    for (let i = 0; i < d.length; i += 4) for (let c = 0; c < 3; c++) mean[c] += d[i + c];
    return { w: bitmap.width, h: bitmap.height, mean: mean.map((v) => v / (d.length / 4)) };
  }, file.toString('base64'));
}

test('the resizer makes every size on the device, follows the focus, and calls no API', async ({ page }) => {
  test.setTimeout(90_000);
  // No account: nothing of the visitor's reaches the server.
  await page.goto('/tools');
  await page.getByRole('link', { name: 'Social media resizer' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Social media resizer' })).toBeVisible();
  // A 1600 × 800 photo: the left half red, the right half blue.
  const photo = await redBlueJpeg(page, 1600, 800);
  const api: string[] = [];
  page.on('request', (r) => { if (new URL(r.url()).pathname.startsWith('/api/')) api.push(r.url()); });
  await page.locator('.tool-photo input[type=file]').setInputFiles({ name: 'split.jpg', mimeType: 'image/jpeg', buffer: photo });
  const source = page.locator('.resize-stage');
  await expect(source).toBeVisible();
  await expect(page.locator('img.resize-preview')).toHaveCount(7);
  await expect(source).toHaveAttribute('aria-label', /50 % across and 50 % down/);
  expect(await axe(page)).toEqual([]);

  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download all (ZIP)' }).click();
  const zip = new AdmZip(await (await downloading).path());
  const names = zip.getEntries().map((e) => e.entryName);
  expect(names.sort()).toEqual(SIZES.map(([n]) => `split-${n}.jpg`).sort());
  for (const [name, w, h] of SIZES) {
    const made = await look(page, zip.readFile(`split-${name}.jpg`)!);
    expect([made.w, made.h], name).toEqual([w, h]);
  }

  // The story (9:16) from a 2:1 photo is a narrow strip: focus on the left keeps red, on the right blue.
  const box = (await source.boundingBox())!;
  const story = async () => {
    const one = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download Instagram story' }).click();
    const file = await one;
    expect(file.suggestedFilename()).toBe('split-instagram-story.jpg');
    return look(page, readFileSync(await file.path()));
  };
  await page.mouse.click(box.x + 3, box.y + box.height / 2);
  await expect(source).toHaveAttribute('aria-label', /\b[01] % across/);
  // The preview shows what the file will: the story's picture sits at its left edge.
  await expect(page.locator('img.resize-preview').nth(2)).toHaveCSS('object-position', '0% 50%');
  const left = await story();
  expect(left.mean[0]).toBeGreaterThan(180);
  expect(left.mean[2]).toBeLessThan(80);
  await source.focus();
  for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowRight');
  const right = await story();
  expect(right.mean[2]).toBeGreaterThan(180);
  expect(right.mean[0]).toBeLessThan(80);
  expect(api).toEqual([]);
});

test('"Find the subject" puts the focus on the person, on the device', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/tools/resize');
  // The portrait on the right of a wide grey photo.
  const photo = Buffer.from((await page.evaluate(async (data) => {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const person = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const c = document.createElement('canvas');
    [c.width, c.height] = [person.width * 3, person.height];
    const g = c.getContext('2d')!;
    g.fillStyle = 'rgb(128,128,128)';
    g.fillRect(0, 0, c.width, c.height);
    g.drawImage(person, person.width * 2, 0);
    return c.toDataURL('image/jpeg', 0.92);
  }, portrait.toString('base64'))).split(',')[1], 'base64');
  const api: string[] = [];
  page.on('request', (r) => { if (new URL(r.url()).pathname.startsWith('/api/')) api.push(r.url()); });
  await page.locator('.tool-photo input[type=file]').setInputFiles({ name: 'wide.jpg', mimeType: 'image/jpeg', buffer: photo });
  const source = page.locator('.resize-stage');
  await expect(source).toHaveAttribute('aria-label', /50 % across/);
  await page.getByRole('button', { name: 'Find the subject' }).click();
  await expect(page.getByRole('button', { name: 'Find the subject' })).toBeEnabled({ timeout: 60_000 });
  const label = (await source.getAttribute('aria-label'))!;
  const across = Number(/(\d+) % across/.exec(label)![1]);
  expect(across, label).toBeGreaterThan(70);
  expect(api).toEqual([]);
});
