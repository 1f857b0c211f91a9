// Sign-ups by invitation (VINANO_SIGNUPS=invite, the fourth test server), as a new person meets them: the
// sign-up page says so instead of showing a form that can't work; the link from `vinano-server admin
// invite` opens the form and makes one account; the same link a second time is refused in words.
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { test, expect } from './fixtures';
import { submitSignUp } from './helpers';

const port = Number(process.env.VINANO_E2E_PORT ?? 18080) + 5;
test.use({ baseURL: `http://127.0.0.1:${port}` });
const root = resolve(__dirname, '..', '..');

/** `vinano-server admin invite`: the code of a new invitation. */
function invitation(): string {
  const bin = process.env.VINANO_SERVER_BIN ?? join(root, 'target', 'debug', 'vinano-server');
  const env = { ...process.env, VINANO_DATA_DIR: process.env.VINANO_E2E_DATA_DIR!, RUST_LOG: 'warn' };
  const out = execFileSync(bin, ['admin', 'invite'], { env, encoding: 'utf8' });
  const code = out.match(/\/signup\?invite=([0-9a-f]{32})\s/)?.[1];
  expect(code, out).toBeTruthy();
  return code!;
}

test('without an invitation the page says so; its link makes one account, and only one', async ({ page, browser }) => {
  await page.goto('/signup');
  await expect(page.getByTestId('signups')).toHaveText(
    'This ViNano takes new accounts by invitation: open the link in your invitation to sign up.',
  );
  await expect(page.getByRole('button', { name: 'Create account' })).toBeHidden();

  const code = invitation();
  await page.goto(`/signup?invite=${code}`);
  await expect(page.getByText('You were invited: this link makes one account.')).toBeVisible();
  await expect(page.getByTestId('signups')).toHaveCount(0);
  const stamp = Date.now();
  await submitSignUp(page, `inv${stamp}`);
  await expect(page).toHaveURL(/\/image$/);

  // The same link again, in another browser: refused, and nothing made.
  const other = await browser.newContext({ baseURL: `http://127.0.0.1:${port}` });
  const again = await other.newPage();
  await again.goto(`/signup?invite=${code}`);
  await submitSignUp(again, `inv${stamp}b`);
  await expect(again.getByRole('alert')).toHaveText('This invitation has been used or has expired. Ask for a new one.');
  await expect(again).toHaveURL(/\/signup\?invite=/);
  await other.close();
});
