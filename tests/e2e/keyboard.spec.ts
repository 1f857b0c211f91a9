// A keyboard-only walk through the main flow, with Tab, Shift+Tab, Enter, Space, arrows and typing only:
// sign up, attach a photo (the file input is reachable), edit it, open the viewer, download the result.
import { test, expect } from './fixtures';
import type { Locator, Page } from '@playwright/test';
import { redBlueJpeg } from './helpers';

/** Presses Tab until `target` has focus (as a keyboard user would), failing after `max` presses. */
async function tabTo(page: Page, target: Locator, max = 60) {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${target}`);
}

test('sign up, attach, edit, view full screen and download with the keyboard alone', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('/');
  const photo = await redBlueJpeg(page);

  await tabTo(page, page.getByRole('link', { name: 'Sign up' }).first());
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible();
  const fields: [string, string][] = [
    ['Name', 'Ada Lovelace'],
    ['Email', 'keys-only@example.com'],
    ['Username', 'keysonly'],
    ['Password', 'a long enough password'],
  ];
  for (const [label, value] of fields) {
    await tabTo(page, page.getByLabel(label, { exact: true }));
    await page.keyboard.type(value);
  }
  await tabTo(page, page.getByLabel('Date of birth', { exact: true }));
  await page.keyboard.type('05171990');
  for (const box of [
    page.getByLabel('I accept the ViNano terms of service.'),
    page.getByLabel('I have read and accept the privacy policy.'),
    page.getByLabel(/I am responsible for the photos I upload/),
  ]) {
    await tabTo(page, box);
    await page.keyboard.press('Space');
    await expect(box).toBeChecked();
  }
  await tabTo(page, page.getByRole('button', { name: 'Create account' }));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/image$/);

  // The photo picker opens from the keyboard.
  await tabTo(page, page.getByLabel('Attach a photo', { exact: true }));
  const chooser = page.waitForEvent('filechooser');
  await page.keyboard.press('Space');
  await (await chooser).setFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: photo });
  await expect(page.locator('.attachments > li').filter({ hasText: 'Ready ·' })).toHaveCount(1, { timeout: 30_000 });
  await tabTo(page, page.getByLabel('Instruction', { exact: true }));
  await page.keyboard.type('make it black and white');
  await page.keyboard.press('Enter');
  await expect(page.locator('img.result')).toHaveCount(1);

  // The viewer: open, step back to the photo and forward again, close.
  await tabTo(page, page.getByRole('button', { name: /^View full screen: Edited image/ }));
  await page.keyboard.press('Enter');
  const viewer = page.getByRole('dialog', { name: 'Full-screen viewer' });
  await expect(viewer.getByRole('status')).toHaveText('Version 2 of 2');
  await page.keyboard.press('ArrowLeft');
  await expect(viewer.getByRole('status')).toHaveText('Version 1 of 2');
  await page.keyboard.press('ArrowRight');
  await expect(viewer.getByRole('status')).toHaveText('Version 2 of 2');
  await page.keyboard.press('Escape');
  await expect(viewer).toBeHidden();

  // Download the result as PNG from its menu.
  const more = page.locator('li.msg-assistant').last().getByRole('button', { name: 'More for this version' });
  await tabTo(page, more);
  await page.keyboard.press('Enter');
  const png = page.getByRole('link', { name: 'Download as PNG' }).last();
  await expect(png).toBeVisible();
  await tabTo(page, png, 20);
  const download = page.waitForEvent('download');
  await page.keyboard.press('Enter');
  const file = await (await download).createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of file) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
});
