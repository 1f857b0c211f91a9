// Me → Account and the emailed links, with mail read from the server's outbox: sign up → confirm the email
// link → log in elsewhere → change the password, ending the other session; forgot password → reset link.
import { test, expect } from './fixtures';
import { linkFromMail, redBlueJpeg, signUp } from './helpers';

test('sign up, confirm the email link, change the password and sign the other device out', async ({ page, browser }) => {
  await signUp(page, 'verify');
  await page.goto('/me');
  await expect(page.getByText("Your email address isn't confirmed yet")).toBeVisible();
  await page.goto(await linkFromMail('verify@example.com', '/verify-email'));
  await expect(page.getByText('Thank you: verify@example.com is confirmed.')).toBeVisible();
  await page.getByRole('link', { name: 'Go to your account' }).click();
  await expect(page.getByText('Your email address is confirmed.')).toBeVisible();

  // Another device logs in.
  const other = await browser.newContext();
  const laptop = await other.newPage();
  await laptop.goto('/login');
  await laptop.getByLabel('Email or username', { exact: true }).fill('verify@example.com');
  await laptop.getByLabel('Password', { exact: true }).fill('a long enough password');
  await laptop.getByRole('button', { name: 'Log in' }).click();
  await expect(laptop).toHaveURL(/\/image$/);

  // A wrong current password is named under its field; then the change goes through.
  await page.getByLabel('Current password').fill('not my password');
  await page.getByLabel('New password').fill('a fresh passphrase');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.locator('#current_password-error')).toHaveText("Your current password isn't right.");
  await expect(page.getByLabel('Current password')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Current password').fill('a long enough password');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('Password changed. One other device was signed out.')).toBeVisible();
  await expect(page.locator('.session')).toHaveCount(1);

  await laptop.goto('/me');
  await expect(laptop.getByText('Log in to see your account.')).toBeVisible();
  await other.close();
});

test('correct the profile; a taken username is named under its field', async ({ page }) => {
  await signUp(page, 'taken');
  await page.getByRole('button', { name: 'Log out' }).click();
  await signUp(page, 'profile');
  await page.goto('/me');
  await page.getByLabel('Name', { exact: true }).fill('Ada King');
  await page.getByLabel('Time zone').selectOption('Asia/Taipei');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Ada King');
  await expect(page.getByLabel('Time zone')).toHaveValue('Asia/Taipei');
  await page.getByLabel('Username', { exact: true }).fill('taken');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.locator('#username-error')).toHaveText('That username is taken. Please choose another.');
  await expect(page.getByLabel('Username', { exact: true })).toHaveAttribute('aria-invalid', 'true');

  // A profile picture goes through the same on-device preparation as every photo.
  await page.locator('#avatar-file').setInputFiles({ name: 'me.jpg', mimeType: 'image/jpeg', buffer: await redBlueJpeg(page) });
  const avatar = page.locator('img.avatar');
  await expect(avatar).toBeVisible();
  const src = (await avatar.getAttribute('src'))!;
  const stored = await page.request.get(src);
  expect(stored.status()).toBe(200);
  expect((await stored.body()).includes(Buffer.from('Exif'))).toBe(false);
  await page.reload();
  await expect(page.locator('img.avatar')).toHaveAttribute('src', src);
  await page.getByRole('button', { name: 'Remove the picture' }).click();
  await expect(page.locator('img.avatar')).toHaveCount(0);

  // A new email address asks for the password first; the old address is told.
  const passwordField = page.getByLabel('Your password, to confirm the new email');
  await expect(passwordField).toHaveCount(0);
  await page.getByLabel('Email', { exact: true }).fill('profile.new@example.org');
  await expect(passwordField).toBeVisible();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.locator('#current_password-error')).toHaveText('Enter your current password to change your email address.');
  await passwordField.fill('not my password');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.locator('#current_password-error')).toHaveText("Your current password isn't right.");
  await passwordField.fill('a long enough password');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('We sent a link to profile.new@example.org: open it to start using that address.')).toBeVisible();
  await expect(page.getByLabel('Email', { exact: true })).toHaveValue('profile@example.com');
  await expect(passwordField).toHaveCount(0);
  expect(await linkFromMail('profile.new@example.org', '/verify-email')).toContain('/verify-email?token=');
  // The old address gets the notice, with the way to secure the account.
  expect(await linkFromMail('profile@example.com', '/me/security', 1, false)).toMatch(/\/me\/security$/);
});

test('forgot password: the emailed link sets a new one, once', async ({ page }) => {
  await signUp(page, 'forgetful');
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.goto('/login');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.getByLabel('Email', { exact: true }).fill('forgetful@example.com');
  await page.getByRole('button', { name: 'Send the link' }).click();
  await expect(page.getByText('If an account uses that address')).toBeVisible();

  const link = await linkFromMail('forgetful@example.com', '/reset-password');
  await page.goto(link);
  await page.getByLabel('New password').fill('short');
  await page.getByRole('button', { name: 'Save the new password' }).click();
  await expect(page.locator('#password-error')).toHaveText('Passwords need at least 8 characters.');
  await page.getByLabel('New password').fill('my new passphrase');
  await page.getByRole('button', { name: 'Save the new password' }).click();
  await expect(page.getByText('Your password is changed and you are signed out everywhere.')).toBeVisible();

  await page.getByRole('link', { name: 'Log in' }).last().click();
  await page.getByLabel('Email or username', { exact: true }).fill('forgetful');
  await page.getByLabel('Password', { exact: true }).fill('my new passphrase');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/image$/);

  // The link worked once.
  await page.goto(link);
  await page.getByLabel('New password').fill('another passphrase');
  await page.getByRole('button', { name: 'Save the new password' }).click();
  await expect(page.getByRole('alert')).toContainText('expired or was already used');
});

test('times are shown in the time zone of the browser the account was made in', async ({ browser }) => {
  const context = await browser.newContext({ timezoneId: 'Asia/Taipei' });
  const page = await context.newPage();
  await signUp(page, 'taipei');
  await page.goto('/me');
  await expect(page.getByLabel('Time zone')).toHaveValue('Asia/Taipei');
  // Where the account is signed in, and the consent ledger: the time in Taipei, named as such.
  await expect(page.locator('.session')).toContainText(/last used \d{4}-\d{2}-\d{2} \d{2}:\d{2} GMT\+8/);
  await expect(page.locator('ol.consents > li').first()).toContainText(/\d{2}:\d{2} GMT\+8/);
  await context.close();
});
