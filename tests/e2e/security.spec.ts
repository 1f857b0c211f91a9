// Me → Security: where the account is signed in; end another device's session, then all of them.
import { test, expect } from './fixtures';
import { signUp } from './helpers';

test('see the sessions list, sign another device out, then sign out everywhere', async ({ page, browser }) => {
  await signUp(page, 'sessions');
  // A second device: another browser context logs in to the same account.
  const other = await browser.newContext({ userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1' });
  const phone = await other.newPage();
  await phone.goto('/login');
  await phone.getByLabel('Email or username', { exact: true }).fill('sessions');
  await phone.getByLabel('Password', { exact: true }).fill('a long enough password');
  await phone.getByRole('button', { name: 'Log in' }).click();
  await expect(phone).toHaveURL(/\/image$/);

  await page.goto('/me');
  const rows = page.locator('.session');
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: 'This device' })).toHaveCount(1);
  await expect(rows.filter({ hasText: 'Safari on iPhone' })).toHaveCount(1);
  await page.getByRole('button', { name: 'Sign out: Safari on iPhone' }).click();
  await expect(rows).toHaveCount(1);

  // The phone is signed out on the server: its next page load asks it to log in.
  await phone.goto('/me');
  await expect(phone.getByText('Log in to see your account.')).toBeVisible();
  await other.close();

  await page.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto('/me');
  await expect(page.getByText('Log in to see your account.')).toBeVisible();
});
