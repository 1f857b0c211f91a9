// Me → Your data: delete the account, log in during the grace period and keep it; delete one version of an
// image from the editor and bring it back with Undo; the request tracker lists what was asked, with due
// dates. Questions are asked in the app's own dialog, never the browser's.
import { test, expect } from './fixtures';
import { attach, redBlueJpeg, signUp } from './helpers';

test('delete the account, then log in within the grace period and keep it', async ({ page }) => {
  await signUp(page, 'leaving');
  await page.goto('/me');
  await page.getByLabel('Your password').fill('wrong password');
  page.on('dialog', () => { throw new Error('a browser dialog was shown'); });
  const dialog = page.getByRole('dialog');
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await expect(dialog).toContainText('Delete your account?');
  // Cancel keeps everything as it was.
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.locator('#password-error')).toHaveCount(0);
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await dialog.getByRole('button', { name: 'Delete my account' }).click();
  await expect(page.locator('#password-error')).toHaveText("That password isn't right.");
  await page.getByLabel('Your password').fill('a long enough password');
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await dialog.getByRole('button', { name: 'Delete my account' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator('.toast')).toContainText('Your account will be deleted in 30 days.');
  await expect(page.getByRole('link', { name: 'Log in' })).toBeVisible();

  await page.goto('/login');
  await page.getByLabel('Email or username', { exact: true }).fill('leaving');
  await page.getByLabel('Password', { exact: true }).fill('a long enough password');
  await page.getByRole('button', { name: 'Log in' }).click();
  const in30 = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  await expect(page.getByText(`Your account is scheduled for deletion on ${in30}.`)).toBeVisible();
  await page.getByRole('button', { name: 'Keep my account' }).click();
  await expect(page.locator('.deletion-banner')).toHaveCount(0);
  await page.goto('/me');
  const rows = page.locator('table.requests tbody tr');
  await expect(rows.first()).toContainText('Deletion: the whole account');
  await expect(rows.first()).toContainText('Cancelled');
  // Access: everything held, as stored.
  await expect(page.getByRole('heading', { name: 'Everything we hold about you' })).toBeVisible();
  await page.getByText('users (1)', { exact: true }).click();
  await expect(page.locator('details.data-table[open] td', { hasText: 'leaving@example.com' })).toBeVisible();
  await expect(page.getByText(/^consents \(\d+\)$/)).toBeVisible();
  await expect(page.getByText('password_hash')).toHaveCount(0);
  // Times read as dates, not milliseconds.
  await expect(page.locator('details.data-table[open] td', { hasText: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/ }).first()).toBeVisible();
  // Correction: straight to the forms that correct it.
  await page.getByRole('link', { name: 'your account details' }).click();
  await expect(page.locator('#account-title')).toBeFocused();
  await expect(page.getByLabel('Name', { exact: true })).toBeInViewport();
});

test('delete one version from the editor, bring it back with Undo, then delete every version', async ({ page }) => {
  await signUp(page, 'tidy');
  page.on('dialog', () => { throw new Error('a browser dialog was shown'); });
  await attach(page, { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: await redBlueJpeg(page) });
  await page.getByLabel('Instruction', { exact: true }).fill('flip it');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.locator('img.result')).toHaveCount(1);
  const src = (await page.locator('img.result').getAttribute('src'))!;
  const bytes = await (await page.request.get(src)).body();
  const result = page.locator('.msg-assistant').last();
  // One version goes at once; the toast offers Undo.
  await result.getByRole('button', { name: 'More for this version' }).click();
  await result.getByRole('button', { name: 'Delete this version' }).click();
  await expect(page.locator('img.result')).toHaveCount(0);
  expect((await page.request.get(src)).status()).toBe(404);
  const toast = page.locator('.toast', { hasText: 'Version deleted.' });
  await toast.getByRole('button', { name: 'Undo' }).click();
  // Back with the same id and the same bytes.
  await expect(page.locator('img.result')).toHaveCount(1);
  expect(await page.locator('img.result').getAttribute('src')).toBe(src);
  const again = await page.request.get(src);
  expect(again.status()).toBe(200);
  expect(Buffer.compare(await again.body(), bytes)).toBe(0);
  await expect(page.locator('.toast', { hasText: 'Brought back.' })).toBeVisible();

  // Every version: asked first in the app's dialog (Cancel keeps them).
  const dialog = page.getByRole('dialog');
  await page.locator('.msg-assistant').last().getByRole('button', { name: 'More for this version' }).click();
  await page.locator('.msg-assistant').last().getByRole('button', { name: 'Delete all versions' }).click();
  await expect(dialog).toContainText('Delete this image and every version of it?');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.locator('img.result')).toHaveCount(1);
  await page.locator('.msg-assistant').last().getByRole('button', { name: 'More for this version' }).click();
  await page.locator('.msg-assistant').last().getByRole('button', { name: 'Delete all versions' }).click();
  await dialog.getByRole('button', { name: 'Delete all versions' }).click();
  await expect(page.locator('img.result')).toHaveCount(0);
  await expect(page.locator('img.original')).toHaveCount(0);
  await expect(page.locator('.toast', { hasText: '2 versions deleted.' })).toBeVisible();
});
