// Me → Your data: delete the account, log in during the grace period and keep it; delete one version of an
// image from the editor; the request tracker lists what was asked, with due dates.
import { test, expect } from './fixtures';
import { attach, redBlueJpeg, signUp } from './helpers';

test('delete the account, then log in within the grace period and keep it', async ({ page }) => {
  await signUp(page, 'leaving');
  await page.goto('/me');
  await page.getByLabel('Your password').fill('wrong password');
  page.on('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await expect(page.locator('#password-error')).toHaveText("That password isn't right.");
  await page.getByLabel('Your password').fill('a long enough password');
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await expect(page).toHaveURL(/\/$/);
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

test('delete one version from the editor', async ({ page }) => {
  await signUp(page, 'tidy');
  await attach(page, { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: await redBlueJpeg(page) });
  await page.getByLabel('Instruction', { exact: true }).fill('flip it');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.locator('img.result')).toHaveCount(1);
  const src = (await page.locator('img.result').getAttribute('src'))!;
  page.on('dialog', (d) => void d.accept());
  const result = page.locator('.msg-assistant').last();
  await result.getByText('Delete', { exact: true }).click();
  await result.getByRole('button', { name: 'Delete this version' }).click();
  await expect(page.locator('img.result')).toHaveCount(0);
  expect((await page.request.get(src)).status()).toBe(404);
});
