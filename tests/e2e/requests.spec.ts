// A page's requests belong to it: leaving the page ends the ones still running (the app aborts them), so
// nothing arrives afterwards to change a page the person has left.
import { test, expect } from './fixtures';
import { signUp } from './helpers';

test('leaving a page aborts the requests it started', async ({ page }) => {
  await signUp(page, 'leaver');
  // Hold the answer to Me → Your data → "everything held" until the person has left the page.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/v1/me/data', async (route) => {
    await held;
    await route.continue().catch(() => {});
  });
  const asked = page.waitForRequest('**/api/v1/me/data');
  const ended = page.waitForEvent('requestfailed', (r) => r.url().endsWith('/api/v1/me/data'));
  await page.getByRole('link', { name: 'Me', exact: true }).first().click();
  await expect(page.getByRole('heading', { name: 'Your data', exact: true })).toBeVisible();
  await asked;

  await page.getByRole('link', { name: 'AI Image', exact: true }).first().click();
  await expect(page).toHaveURL(/\/image$/);
  const failed = await ended;
  expect(failed.failure()?.errorText).toBe('net::ERR_ABORTED');
  release();
});
