// Me → Admin, as an operator uses it: made an administrator with `vinano-server admin grant-admin`, they
// find a person, give them credits with a reason, disable the account — and that person, in their own
// browser, is signed out at once and told why at the next login; the audit log says what happened.
// Someone who isn't an administrator sees neither the way in nor the page.
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { test, expect } from './fixtures';
import { signUp } from './helpers';

const root = resolve(__dirname, '..', '..');

function grantAdmin(login: string) {
  const bin = process.env.VINANO_SERVER_BIN ?? join(root, 'target', 'debug', 'vinano-server');
  const env = { ...process.env, VINANO_DATA_DIR: process.env.VINANO_E2E_DATA_DIR!, RUST_LOG: 'warn' };
  const out = execFileSync(bin, ['admin', 'grant-admin', login], { env, encoding: 'utf8' });
  expect(out).toContain('is an administrator now');
}

test('an administrator gives credits, disables an account and its owner is signed out', async ({ page, browser }) => {
  const stamp = Date.now();
  const [admin, person] = [`adm${stamp}`, `per${stamp}`];

  // The administrator signs up first (so the person is never a ViNano's first account, which administers it).
  await signUp(page, admin);
  grantAdmin(admin);

  // The person, in a browser of their own; Admin is neither on their Me page nor open to them.
  const theirs = await browser.newContext();
  const them = await theirs.newPage();
  await signUp(them, person);
  await them.goto('/me');
  await expect(them.getByRole('heading', { name: 'Subscription' })).toBeVisible();
  await expect(them.getByRole('link', { name: 'Open Admin' })).toHaveCount(0);
  await them.goto('/me/admin');
  await expect(them.getByText('This page is for the people who run this ViNano.')).toBeVisible();

  await page.goto('/me');
  await page.getByRole('link', { name: 'Open Admin' }).click();
  await expect(page).toHaveURL(/\/me\/admin$/);
  await expect(page.getByRole('heading', { name: 'Admin', level: 1 })).toBeVisible();
  await expect(page).toHaveTitle('Admin · ViNano');

  await page.getByRole('searchbox', { name: 'Search people' }).fill(person);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.getByTestId('people-total')).toHaveText('One account');
  const row = page.getByTestId('person');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(person);
  await expect(row.getByTestId('person-credits')).toContainText('300 credits left');

  await row.getByRole('button', { name: 'Credits…' }).click();
  await row.getByLabel('Credits to give (negative to take back)').fill('25');
  await row.getByRole('button', { name: 'Adjust credits' }).click();
  await expect(row.locator('#reason-error')).toHaveText('Say why, in 3 to 200 characters: the ledger keeps it.');
  await row.getByLabel('Reason (kept in the ledger and the audit log)').fill('a welcome gift');
  await row.getByRole('button', { name: 'Adjust credits' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Done:' })).toContainText('Done: 325 credits left.');
  await expect(row.getByTestId('person-credits')).toContainText('325 credits left');

  await row.getByRole('button', { name: 'Disable' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText(`Disable ${person}? They are signed out everywhere at once`);
  await dialog.getByRole('button', { name: 'Disable' }).click();
  await expect(row.getByText('disabled', { exact: true })).toBeVisible();
  await expect(row.getByRole('button', { name: 'Enable' })).toBeVisible();

  // The person is signed out: their next page asks them to log in, and logging in says why it can't.
  await them.goto('/me');
  await expect(them.getByText('Log in to see your account.', { exact: false })).toBeVisible();
  await them.goto('/login');
  await them.getByLabel('Email or username').fill(person);
  await them.getByLabel('Password', { exact: true }).fill('a long enough password');
  await them.getByRole('button', { name: 'Log in' }).click();
  await expect(them.getByRole('alert')).toContainText('This account has been disabled by the people who run this ViNano.');
  await theirs.close();

  const audit = page.locator('table.audit tbody tr');
  await expect(audit.first()).toContainText('disable');
  await expect(audit.first()).toContainText(person);
  await expect(audit.nth(1)).toContainText(`+25 credits for ${person}: a welcome gift`);
  await expect(audit.nth(2)).toContainText('grant-admin');
  await expect(audit.nth(2)).toContainText('cli');

  // Usage: today's row counts the sign-ups at least.
  await expect(page.getByTestId('usage-total')).toBeVisible();
  await expect(page.getByTestId('chain')).toHaveText("The moderation log's hash chain is intact.");
});

test('an administrator registers a partner, whose secret signs its members in, then edits, rotates and removes it', async ({ page }) => {
  const stamp = Date.now();
  const admin = `adp${stamp}`;
  await signUp(page, admin);
  grantAdmin(admin);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/me/admin');
  const section = page.getByRole('region', { name: 'Partners' });
  await expect(section).toContainText('Sites that embed the ViNano editor');

  // A bad origin is refused with its reason, and nothing is registered.
  await section.getByRole('button', { name: 'Add a partner' }).click();
  await section.getByLabel('Name (shown in the widget)').fill(`Prints ${stamp}`);
  await section.getByLabel('Sites where the widget may appear').fill('http://prints.example');
  await section.getByRole('button', { name: 'Register the partner' }).click();
  await expect(section.getByRole('alert')).toContainText('"http://prints.example" can\'t be used');

  await section.getByLabel('Sites where the widget may appear').fill('https://Prints.Example/\nhttp://localhost:5173');
  await section.getByLabel('Credits a month for each visitor').fill('7');
  await section.getByRole('button', { name: 'Register the partner' }).click();
  const shown = section.getByTestId('partner-secret');
  await expect(shown).toContainText(`Copy Prints ${stamp}'s signing secret now`);
  const secret = await shown.getByLabel('Signing secret').inputValue();
  const snippet = await shown.getByLabel("For the partner's pages").inputValue();
  expect(secret).toMatch(/^vns_[A-Za-z0-9_-]{43}$/);
  const id = snippet.match(/data-partner="(pt_[0-9a-f]{16})"/)![1];
  expect(snippet).toContain('/widget.js');
  const row = section.getByTestId('partner').filter({ hasText: id });
  await expect(row).toContainText('https://prints.example · http://localhost:5173');
  await expect(row.getByTestId('partner-spent')).toHaveText('0 of 1000 credits spent this month · 7 for each visitor · 0 visitors');

  // The secret works: the partner's server signs a member in with it.
  const signIn = async (key: string) => {
    const b64 = (v: object | Buffer) => Buffer.from(v instanceof Buffer ? v : JSON.stringify(v)).toString('base64url');
    const { createHmac, randomUUID } = await import('node:crypto');
    const now = Math.floor(Date.now() / 1000);
    const origin = new URL(page.url()).origin;
    const body = { iss: id, sub: 'member-1', aud: origin, iat: now, exp: now + 300, jti: randomUUID() };
    const signed = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(body)}`;
    const token = `${signed}.${b64(createHmac('sha256', key).update(signed).digest())}`;
    return page.request.post('/api/v1/widget/session', { data: { partner: id, token } });
  };
  expect((await signIn(secret)).status()).toBe(201);
  await page.reload();
  await expect(row.getByTestId('partner-spent')).toContainText('one visitor');

  // Edit: members only, a new name.
  await row.getByRole('button', { name: 'Edit' }).click();
  await row.getByLabel('Name (shown in the widget)').fill(`Prints & Co ${stamp}`);
  await row.getByLabel('Visitors who aren\'t signed in on the partner\'s site may use it as guests').uncheck();
  await row.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Partner saved.' })).toBeVisible();
  await expect(row).toContainText(`Prints & Co ${stamp}`);
  await expect(row).toContainText('members only');

  // A new secret: shown once; the old one still works during the overlap.
  await row.getByRole('button', { name: 'New secret' }).click();
  await expect(page.getByRole('dialog')).toContainText('The current one keeps working for 24 hours');
  await page.getByRole('dialog').getByRole('button', { name: 'New secret' }).click();
  await expect(shown.getByLabel('Signing secret')).not.toHaveValue(secret);
  const fresh = await shown.getByLabel('Signing secret').inputValue();
  expect((await signIn(fresh)).status()).toBe(200);
  expect((await signIn(secret)).status()).toBe(200);
  await expect(row).toContainText('The previous secret still works until');
  await page.screenshot({ path: test.info().outputPath('partners-phone.png'), fullPage: true });

  // Removed: gone from the list, and its widget refuses to start.
  await row.getByRole('button', { name: 'Remove' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'is removed' })).toBeVisible();
  await expect(section.getByTestId('partner').filter({ hasText: id })).toHaveCount(0);
  const refused = await signIn(fresh);
  expect((await refused.json()).key).toBe('error-widget-partner-unknown');
  await expect(page.locator('table.audit tbody tr').first()).toContainText('partner_removed');
});
