// Steps shared by the end-to-end specs.
import { expect, Page } from '@playwright/test';

/** Signs up a new adult account through the form and waits for the editor. */
export async function signUp(page: Page, username: string) {
  await page.goto('/');
  await page.getByRole('link', { name: 'Sign up' }).first().click();
  await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible();
  await page.getByLabel('Name', { exact: true }).fill('Ada Lovelace');
  await page.getByLabel('Email', { exact: true }).fill(`${username}@example.com`);
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Password', { exact: true }).fill('a long enough password');
  await page.getByLabel('Date of birth', { exact: true }).fill('1990-05-17');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/image$/);
}

/** A file for `setInputFiles`. */
export type Upload = { name: string; mimeType: string; buffer: Buffer };

/** Attaches photos with the file picker and waits until every attached photo is prepared and uploaded. */
export async function attach(page: Page, ...files: Upload[]) {
  await page.getByLabel('Attach a photo', { exact: true }).setInputFiles(files);
  const rows = page.locator('.attachments > li');
  await expect(rows.filter({ hasText: 'Ready ·' })).toHaveCount(await rows.count(), { timeout: 30_000 });
}
