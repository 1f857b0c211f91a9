// Versions and parameters: aspect/style/format shape a result and are remembered; any version downloads
// as PNG/JPEG/WebP; branching from an earlier version and regenerating keep every version, shown as a tree.
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { attach, redBlueJpeg, signUp } from './helpers';

/** The shared 120 × 80 red/blue test photo, as an upload. */
async function photo(page: Page) {
  return { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: await redBlueJpeg(page) };
}

/** Natural size of the last image matching `selector`, and whether every pixel is gray. */
async function look(page: Page, selector: string) {
  return page.locator(selector).last().evaluate(async (shown: HTMLImageElement) => {
    // The stored version itself (the page may show a smaller preview of it).
    const el = new Image();
    el.src = shown.getAttribute('src')!;
    await el.decode();
    const c = document.createElement('canvas');
    [c.width, c.height] = [el.naturalWidth, el.naturalHeight];
    const g = c.getContext('2d')!;
    g.drawImage(el, 0, 0);
    const { data } = g.getImageData(0, 0, c.width, c.height);
    let spread = 0;
    for (let i = 0; i < data.length; i += 4) spread = Math.max(spread, Math.abs(data[i] - data[i + 1]), Math.abs(data[i + 1] - data[i + 2]));
    return { width: c.width, height: c.height, gray: spread <= 4 };
  });
}

test('aspect, style and format shape the result and are remembered; a version downloads as WebP', async ({ page }) => {
  await signUp(page, 'params');
  await attach(page, await photo(page));
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Aspect ratio').selectOption('1:1');
  await page.getByLabel('Style').selectOption('mono');
  await page.getByLabel('Format').selectOption('png');
  await page.getByRole('button', { name: 'Done' }).click();
  const instruction = page.getByLabel('Instruction', { exact: true });
  await instruction.fill('rotate it 90 degrees');
  await instruction.press('Enter');

  await expect(page.locator('img.result')).toBeVisible();
  await expect(page.getByText('rotate 90° clockwise → crop square → black and white · local engine')).toBeVisible();
  const result = await look(page, 'img.result');
  expect([result.width, result.height, result.gray]).toEqual([80, 80, true]);

  // The choices are the defaults from now on, even after a reload.
  await page.reload();
  await expect(page.getByLabel('Aspect ratio')).toHaveValue('1:1');
  await expect(page.getByLabel('Style')).toHaveValue('mono');
  await expect(page.getByLabel('Format')).toHaveValue('png');

  // Download the result as WebP.
  const actions = page.locator('.msg-assistant').last();
  await actions.getByRole('button', { name: 'More for this version' }).click();
  // The menu says what the file carries.
  await expect(actions.getByText('The file says it was made or edited with ViNano, and how: an IPTC mark and signed Content Credentials (C2PA). Nothing about you is in it.')).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    actions.getByRole('link', { name: 'Download as WebP' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^vinano-[0-9a-f]{8}\.webp$/);
  const chunks: Buffer[] = [];
  for await (const chunk of (await download.createReadStream())!) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  expect(bytes.subarray(0, 4).toString('latin1')).toBe('RIFF');
  expect(bytes.subarray(8, 12).toString('latin1')).toBe('WEBP');
  // Marked as algorithmically enhanced, in an extended WebP the browser still shows at its size.
  const text = bytes.toString('latin1');
  expect(text).toContain('VP8X');
  expect(text).toContain('Iptc4xmpExt:DigitalSourceType="http://cv.iptc.org/newscodes/digitalsourcetype/algorithmicallyEnhanced"');
  expect(text).not.toContain('params');
  // Content Credentials: a C2PA chunk whose manifest says the WebP was converted from the stored version.
  expect(text).toContain('C2PA');
  expect(text).toContain('c2pa.converted');
  expect(text).toContain('ViNano Content Credentials');
  const shown = await page.evaluate(async (b64) => {
    const img = new Image();
    img.src = URL.createObjectURL(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: 'image/webp' }));
    await img.decode();
    return [img.naturalWidth, img.naturalHeight];
  }, bytes.toString('base64'));
  expect(shown).toEqual([80, 80]);
});

test('branch from version 1 after making version 2; regenerate keeps both; step through versions', async ({ page }) => {
  await signUp(page, 'branches');
  await attach(page, await photo(page));
  const instruction = page.getByLabel('Instruction', { exact: true });
  await instruction.fill('make it black and white');
  await instruction.press('Enter');
  await expect(page.locator('img.result')).toHaveCount(1);
  const tree = page.locator('.versions');
  await expect(tree.getByRole('button', { name: /^Version \d/ })).toHaveCount(2);

  // Back to version 1 (the upload), and edit it: version 3 is a branch beside version 2.
  await tree.getByRole('button', { name: /^Version 1 / }).click();
  await expect(page.getByText('Next edit applies to: Your photo (120 × 80)')).toBeVisible();
  await instruction.fill('rotate it 90 degrees');
  await instruction.press('Enter');
  await expect(page.locator('img.result')).toHaveCount(2);
  const root = tree.locator(':scope > ul > li');
  await expect(root).toHaveCount(1);
  await expect(root.locator(':scope > ul > li')).toHaveCount(2);
  const rotated = await look(page, 'img.result');
  expect([rotated.width, rotated.height]).toEqual([80, 120]);

  // Regenerate the rotation: a new sibling, and every earlier result is still there.
  await page.locator('.msg-assistant').last().getByRole('button', { name: 'More for this version' }).click();
  await page.locator('.msg-assistant').last().getByRole('button', { name: 'Regenerate' }).click();
  await expect(page.locator('img.result')).toHaveCount(3);
  await expect(root.locator(':scope > ul > li')).toHaveCount(3);
  await expect(tree.getByRole('button', { name: /^Version \d/ })).toHaveCount(4);

  // Step through versions: the latest is selected; Previous moves the target back.
  await expect(tree.getByRole('status')).toHaveText('Version 4 of 4 is the next edit\'s target');
  await tree.getByRole('button', { name: 'Previous version' }).click();
  await expect(tree.getByRole('status')).toHaveText('Version 3 of 4 is the next edit\'s target');
  await expect(tree.getByRole('button', { name: /^Version 3 / })).toHaveAttribute('aria-pressed', 'true');
  await expect(tree.getByRole('button', { name: 'Next version' })).toBeEnabled();
  await tree.getByRole('button', { name: 'Next version' }).click();
  await expect(tree.getByRole('button', { name: 'Next version' })).toBeDisabled();
});

test('a long edit shows live progress, can be cancelled, and retried', async ({ page }) => {
  await signUp(page, 'patience');
  await attach(page, await photo(page));
  const instruction = page.getByLabel('Instruction', { exact: true });
  // Upscaling to 7000 px makes every later step work on 37 megapixels (just inside the 40 MP budget):
  // seconds, not milliseconds.
  await instruction.fill('resize it to 7000 px, then make it black and white, flip it, rotate it 90 degrees, make it brighter and more contrast');
  await instruction.press('Enter');
  const job = page.getByRole('group', { name: 'Edit progress' });
  await expect(job.locator('progress')).toBeVisible();
  // Progress arrives live, step by step.
  await expect(job.getByRole('status')).toHaveText(/Editing… [1-9]\d?%/, { timeout: 30_000 });
  await job.getByRole('button', { name: 'Cancel' }).click();
  await expect(job.getByRole('status')).toHaveText('Cancelled.', { timeout: 30_000 });
  await expect(page.locator('img.result')).toHaveCount(0);
  await page.reload();
  await expect(job.getByRole('status')).toHaveText('Cancelled.');

  // Retry starts it again from the beginning; cancel once more to keep the test short.
  await job.getByRole('button', { name: 'Retry' }).click();
  await expect(job.locator('progress')).toBeVisible();
  await job.getByRole('button', { name: 'Cancel' }).click();
  await expect(job.getByRole('status')).toHaveText('Cancelled.', { timeout: 30_000 });
  await expect(page.locator('img.result')).toHaveCount(0);
});

test('a poster from words alone, then a caption on it', async ({ page }) => {
  await signUp(page, 'poster');
  const instruction = page.getByLabel('Instruction', { exact: true });
  await instruction.fill("create a poster for a summer sale with the text '50% OFF'");
  await instruction.press('Enter');
  await expect(page).toHaveURL(/\/image\/[0-9a-f]{32}$/);
  await expect(page.locator('img.result')).toHaveCount(1);
  await expect(page.getByText('poster "50% OFF" · local engine')).toBeVisible();
  const poster = await look(page, 'img.result');
  expect([poster.width, poster.height, poster.gray]).toEqual([1080, 1350, false]);
  await instruction.fill('add the text "Today only" at the top');
  await instruction.press('Enter');
  await expect(page.locator('img.result')).toHaveCount(2);
  await expect(page.getByText('text "Today only" at the top · local engine')).toBeVisible();
});

test('a clip from a photo: an MP4 that plays in the thread, downloadable as MP4', async ({ page }) => {
  await signUp(page, 'clips');
  await attach(page, await photo(page));
  const instruction = page.getByLabel('Instruction', { exact: true });
  await instruction.fill('make a 1 second video with a slow zoom');
  await instruction.press('Enter');
  await expect(page.getByText('1 s video: slow zoom · local engine')).toBeVisible({ timeout: 30_000 });
  const result = page.locator('.msg-assistant').last();
  const clip = result.locator('video.result');
  const src = await clip.getAttribute('src');
  const response = await page.request.get(src!);
  expect(response.headers()['content-type']).toBe('video/mp4');
  expect((await response.body()).subarray(4, 8).toString('latin1')).toBe('ftyp');
  // It plays on its own, muted and looping, like the GIFs it replaces.
  await expect.poll(() => clip.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(0);
  expect(await clip.evaluate((v: HTMLVideoElement) => [v.duration, v.muted, v.loop])).toEqual([1, true, true]);
  // A clip isn't edited further; it downloads as itself.
  await result.getByRole('button', { name: 'More for this version' }).click();
  await expect(result.getByRole('button', { name: 'Edit this one next' })).toHaveCount(0);
  await expect(result.getByRole('link', { name: 'Download as MP4' })).toBeVisible();
  await expect(result.getByRole('link', { name: 'Download as PNG' })).toHaveCount(0);
});
