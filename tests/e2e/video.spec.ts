// AI Video: a photo, a movement, a length and a shape on /video end in the editor with an MP4 clip of that
// shape that plays in the page and downloads as MP4; a library picture can start one too, and the clip can be
// described in words instead of chosen.
import { test, expect } from './fixtures';
import { axe, redBlueJpeg, signUp } from './helpers';

test('a clip made on AI Video plays in the page and downloads as an MP4', async ({ page }) => {
  test.setTimeout(180_000);
  await signUp(page, 'videomaker');
  await page.goto('/video');
  await expect(page.getByRole('heading', { level: 1, name: 'AI Video' })).toBeVisible();
  // Without a picture, it says so.
  await page.getByRole('button', { name: 'Make the video' }).click();
  await expect(page.getByRole('alert')).toHaveText('Choose a picture from your library or a photo.');
  await page.locator('.tool-photo input[type=file]').setInputFiles({ name: 'wide.jpg', mimeType: 'image/jpeg', buffer: await redBlueJpeg(page, 640, 480) });
  await page.getByLabel('Pan').check();
  // 5 s to start with; three steps down.
  const length = page.getByLabel('Length');
  await length.focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
  await expect(page.locator('output[for=video-seconds]')).toHaveText('2 s');
  await page.getByLabel('16:9').check();
  expect(await axe(page)).toEqual([]);
  await page.getByRole('button', { name: 'Make the video' }).click();
  await expect(page).toHaveURL(/\/image\/[0-9a-f]{32}$/, { timeout: 30_000 });
  await expect(page.locator('.msg-user').filter({ hasText: '2 s video: Pan, 16:9' })).toBeVisible();
  const clip = page.locator('video.result');
  await expect(clip).toBeVisible({ timeout: 90_000 });
  // It plays: a duration of 2 s, 16:9 frames, and time moves.
  const played = await clip.evaluate(async (v: HTMLVideoElement) => {
    if (v.readyState < 1) await new Promise((r) => v.addEventListener('loadedmetadata', r, { once: true }));
    await v.play();
    await new Promise((r) => setTimeout(r, 400));
    return { duration: v.duration, width: v.videoWidth, height: v.videoHeight, time: v.currentTime };
  });
  expect(played.duration).toBeCloseTo(2, 1);
  expect(played.width / played.height).toBeCloseTo(16 / 9, 1);
  expect(played.time).toBeGreaterThan(0);
  // The menu downloads it as itself.
  const result = page.locator('.msg-assistant').last();
  await result.getByRole('button', { name: 'More for this version' }).click();
  const link = result.getByRole('link', { name: 'Download as MP4' });
  const response = await page.request.get((await link.getAttribute('href'))!);
  expect(response.headers()['content-type']).toBe('video/mp4');
  expect((await response.body()).subarray(4, 8).toString('latin1')).toBe('ftyp');

  // The photo is in the library now: it can start the next clip without choosing a file.
  await page.goto('/video');
  await page.locator('.video-pick').first().click();
  await page.getByLabel('Slow zoom').check();
  await page.getByLabel('Length').focus();
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowLeft');
  await page.getByRole('button', { name: 'Make the video' }).click();
  await expect(page).toHaveURL(/\/image\/[0-9a-f]{32}$/, { timeout: 30_000 });
  await expect(page.locator('video.result')).toBeVisible({ timeout: 90_000 });

  // Described in words: the choices step aside, and the words make the clip (a pan, 2 s, upright).
  await page.goto('/video');
  await page.locator('.video-pick').first().click();
  const words = 'a slow pan from left to right, 2 seconds, vertical for stories';
  await page.getByLabel('Or describe it in your own words').fill(words);
  await expect(page.getByLabel('Pan')).toBeDisabled();
  await expect(page.getByLabel('Length')).toBeDisabled();
  await page.getByRole('button', { name: 'Make the video' }).click();
  await expect(page).toHaveURL(/\/image\/[0-9a-f]{32}$/, { timeout: 30_000 });
  await expect(page.locator('.msg-user').filter({ hasText: `Video: ${words}` })).toBeVisible();
  const described = page.locator('video.result').last();
  await expect(described).toBeVisible({ timeout: 90_000 });
  const shape = await described.evaluate(async (v: HTMLVideoElement) => {
    if (v.readyState < 1) await new Promise((r) => v.addEventListener('loadedmetadata', r, { once: true }));
    return { duration: v.duration, width: v.videoWidth, height: v.videoHeight };
  });
  expect(shape.duration).toBeCloseTo(2, 1);
  expect(shape.width / shape.height).toBeCloseTo(9 / 16, 1);
  await expect(page.locator('.msg-assistant').last()).toContainText('pan');
});
