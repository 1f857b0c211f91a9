// Error reports and usage analytics from the browser: a failure on our side is reported by itself and the
// person may add what they were doing (at once, or after a crash on the next load); usage events are sent in
// batches only while analytics is on.
import { test, expect } from './fixtures';
import { signUp } from './helpers';
import type { Page } from '@playwright/test';

type Report = { kind: string; message: string; path: string; description: string };

/** The error reports the server holds about this person (Access lists them). */
async function reports(page: Page): Promise<Report[]> {
  const data = await (await page.request.get('/api/v1/me/data')).json();
  return data.error_reports as Report[];
}

test('a failed request is reported, and the person can add what they were doing', async ({ page }) => {
  await signUp(page, 'reporter');
  // Our side fails once: the privacy settings answer 500.
  let fail = true;
  await page.route('**/api/v1/me/privacy', async (route) => {
    if (fail && route.request().method() === 'GET') {
      fail = false;
      return route.fulfill({
        status: 500,
        json: { code: 'internal', message: 'Something went wrong on our side. Please try again.' },
      });
    }
    return route.continue();
  });
  await page.goto('/me');
  await expect(page.getByText("Something went wrong on our side. We've been told automatically.")).toBeVisible();
  // Reported already, without words.
  await expect.poll(async () => (await reports(page)).length).toBe(1);
  const first = (await reports(page))[0];
  expect(first.kind).toBe('request');
  expect(first.message).toContain('HTTP 500');
  expect(first.description).toBe('');

  await page.getByRole('button', { name: 'Tell us what happened' }).click();
  const box = page.getByLabel(/What were you doing\?/);
  await expect(box).toBeFocused();
  await box.fill('I opened my privacy settings <b>twice</b>');
  await page.locator('.problem').getByRole('button', { name: 'Send' }).click();
  await expect(page.getByText('Thank you. Your note was sent with the report.')).toBeVisible();
  await expect
    .poll(async () => (await reports(page)).map((r) => r.description))
    .toContain('I opened my privacy settings <b>twice</b>');
  await page.getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.locator('.problem')).toHaveCount(0);
});

test('after a crash, the next load asks what happened', async ({ page }) => {
  await signUp(page, 'crasher');
  // What the panic hook leaves behind before the app stops (a crashed WebAssembly module runs nothing more).
  await page.evaluate(() =>
    sessionStorage.setItem(
      'vinano-crash',
      JSON.stringify({ kind: 'panic', message: "panicked at src/pages/image.rs:1:1: boom", path: '/image' }),
    ),
  );
  await page.reload();
  await expect(page.getByText('ViNano ran into a problem and had to reload.', { exact: false })).toBeVisible();
  await page.getByRole('button', { name: 'Tell us what happened' }).click();
  await page.getByLabel(/What were you doing\?/).fill('I dropped two photos at once');
  await page.locator('.problem').getByRole('button', { name: 'Send' }).click();
  await expect
    .poll(async () => (await reports(page)).find((r) => r.kind === 'panic')?.description)
    .toBe('I dropped two photos at once');
  // Asked once: the next load says nothing.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
  await expect(page.locator('.problem')).toHaveCount(0);
});

/** Makes the page look hidden (as when the person switches tabs), which sends the queued usage events. */
async function hide(page: Page) {
  await page.evaluate(() => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
}

test('usage events are sent in a batch only while analytics is on', async ({ page }) => {
  // Every batch the page sends (a beacon's body is not in the request event; a route sees it).
  const batches: string[] = [];
  await page.route('**/api/v1/analytics', async (route) => {
    batches.push(route.request().postDataBuffer()?.toString('utf8') ?? '');
    await route.continue();
  });
  await signUp(page, 'counted');
  await page.goto('/me');
  const analytics = page.getByLabel('Usage analytics');
  await expect(analytics).toBeChecked(); // on unless the person (or their browser's GPC) says no
  await analytics.uncheck();
  await expect(analytics).not.toBeChecked();
  batches.length = 0;
  // Within the app (a full reload would start a new, empty queue).
  await page.getByRole('link', { name: 'AI Image' }).first().click();
  await expect(page).toHaveURL(/\/image$/);
  await hide(page);
  await page.waitForTimeout(1000);
  expect(batches, 'nothing is sent while analytics is off').toEqual([]);

  await page.getByRole('link', { name: 'Me', exact: true }).first().click();
  await analytics.check();
  await expect(analytics).toBeChecked();
  await page.getByRole('link', { name: 'AI Image' }).first().click();
  await expect(page).toHaveURL(/\/image$/);
  await hide(page);
  await expect.poll(() => batches.length).toBe(1);
  const batch = JSON.parse(batches[0]) as { events: { name: string }[] };
  const names = batch.events.map((e) => e.name);
  expect(names).toContain('editor_open');
  expect(names).toContain('session');
  // Nothing in a batch names the person.
  expect(batches[0]).not.toContain('counted');
});
