// Share links: a version or a conversation shared by a link opens in a fresh browser without an account,
// never indexed; it stops working when turned off (Me → Your data) and when the picture is deleted; a
// reader edits a copy after signing up, and comes back to the page to do it; a picture under evidence hold
// can't be shared.
import type { Browser, Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { attach, axe, pictureIsGray, redBlueJpeg, signUp, submitSignUp } from './helpers';

/** axe-core's WCAG 2.1 A/AA findings on the page as it is now. */
/** Attaches the red/blue test photo and asks for `instruction`; waits for the result. */
async function edit(page: Page, instruction: string) {
  await attach(page, { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: await redBlueJpeg(page) });
  const box = page.getByLabel('Instruction', { exact: true });
  await box.fill(instruction);
  await box.press('Enter');
  await expect(page.locator('img.result')).toBeVisible();
}

/** Makes a link in the open "Share a link" dialog, for `lasting`; returns it. */
async function makeLink(page: Page, lasting: string): Promise<string> {
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel(lasting).check();
  await dialog.getByRole('button', { name: 'Create link' }).click();
  const link = await dialog.getByLabel('Link').inputValue();
  expect(link).toMatch(/\/s\/[0-9a-f]{48}$/);
  return link;
}

/** Opens the last result's "Share a link…" dialog. */
async function shareResult(page: Page) {
  const last = page.locator('.msg-assistant').last();
  await last.getByRole('button', { name: 'More for this version' }).click();
  await last.getByRole('button', { name: 'Share a link…' }).click();
  await expect(page.getByRole('dialog', { name: 'Share a link to this picture' })).toBeVisible();
}

/** A browser of someone else: no cookies, no storage. */
async function stranger(browser: Browser, baseURL: string | undefined): Promise<Page> {
  const context = await browser.newContext({ baseURL });
  return context.newPage();
}

test('a shared version opens without an account until it is turned off, and dies with the picture', async ({ page, browser, baseURL, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await signUp(page, 'linksharer');
  await edit(page, 'make it black and white');

  await shareResult(page);
  await expect(page.getByRole('dialog').getByText('Anyone with the link can see it')).toBeVisible();
  const link = await makeLink(page, '24 hours');
  await expect(page.getByRole('dialog').getByText(/^Works until /)).toBeVisible();
  expect(await axe(page)).toEqual([]);
  await page.getByRole('dialog').getByRole('button', { name: 'Copy link' }).click();
  await expect(page.getByRole('dialog').getByText('Link copied.')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();

  // Someone else, signed in nowhere: the picture, and the page says not to index it.
  const reader = await stranger(browser, baseURL);
  const opened = await reader.goto(link);
  expect(opened!.headers()['x-robots-tag']).toContain('noindex');
  await expect(reader.getByRole('heading', { level: 1, name: 'A picture shared with you' })).toBeVisible();
  await expect(reader).toHaveTitle('Shared · ViNano');
  const picture = reader.locator('img.shared-picture');
  await expect(picture).toHaveAttribute('alt', /^Edited image: black and white \(120 × 80\)$/);
  const seen = await pictureIsGray(picture);
  expect(seen).toEqual({ width: 120, height: 80, gray: true });
  await expect(reader.getByRole('button', { name: 'Edit a copy in ViNano' })).toBeVisible();
  await expect(reader.getByText(/^This link works until /)).toBeVisible();
  expect(await axe(reader)).toEqual([]);

  // The owner's list: what, how often opened; turned off, the page says so at once.
  await page.goto('/me/data');
  const row = page.locator('.share-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('A picture');
  await expect(row).toContainText('opened once');
  expect(await axe(page)).toEqual([]);
  await row.getByRole('button', { name: 'Turn off' }).click();
  await expect(page.getByText('Link turned off.')).toBeVisible();
  await expect(page.getByText("You haven't shared anything.")).toBeVisible();
  await reader.reload();
  await expect(reader.getByRole('heading', { level: 1, name: "This link doesn't work any more" })).toBeVisible();

  // A link until turned off: deleting the version ends it too.
  await page.goBack();
  await expect(page.locator('img.result')).toBeVisible();
  await shareResult(page);
  const forever = await makeLink(page, 'Until I turn it off');
  await expect(page.getByRole('dialog').getByText('Works until you turn it off.')).toBeVisible();
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
  await reader.goto(forever);
  await expect(reader.getByRole('heading', { level: 1, name: 'A picture shared with you' })).toBeVisible();
  const last = page.locator('.msg-assistant').last();
  await last.getByRole('button', { name: 'More for this version' }).click();
  await last.getByRole('button', { name: 'Delete this version' }).click();
  await expect(page.getByText('Version deleted.')).toBeVisible();
  await reader.reload();
  await expect(reader.getByRole('heading', { level: 1, name: "This link doesn't work any more" })).toBeVisible();
});

test('a shared conversation, copied by a reader who signs up on the way; a held picture is never shared', async ({ page, browser, baseURL }) => {
  await signUp(page, 'linktalker');
  await edit(page, 'make it black and white');
  await page.getByRole('button', { name: 'More for this conversation' }).click();
  await page.getByRole('button', { name: 'Share a link to this conversation…' }).click();
  await expect(page.getByRole('dialog', { name: 'Share a link to this conversation' })).toBeVisible();
  const link = await makeLink(page, '7 days');
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();

  const reader = await stranger(browser, baseURL);
  await reader.goto(link);
  await expect(reader.getByRole('heading', { level: 1, name: 'make it black and white' })).toBeVisible();
  await expect(reader.locator('.shared-message.from-user .shared-words')).toHaveText(['make it black and white']);
  await expect(reader.locator('img.shared-picture')).toHaveCount(2);
  expect(await axe(reader)).toEqual([]);

  // "Edit a copy": signing up first, then back on the page, then the copy opens in the editor.
  await reader.getByRole('button', { name: 'Edit a copy in ViNano' }).click();
  await expect(reader).toHaveURL(/\/login\?next=/);
  await reader.locator('main').getByRole('link', { name: 'Sign up' }).click();
  await expect(reader.getByRole('heading', { name: 'Create your account' })).toBeVisible();
  await submitSignUp(reader, 'linkreader');
  await expect(reader).toHaveURL(link);
  await reader.getByRole('button', { name: 'Edit a copy in ViNano' }).click();
  await expect(reader).toHaveURL(/\/image\/[0-9a-f]{32}$/);
  const copy = reader.locator('.msg-user img').first();
  await expect(copy).toBeVisible();
  expect(await copy.evaluate((img: HTMLImageElement) => img.decode().then(() => [img.naturalWidth, img.naturalHeight]))).toEqual([120, 80]);

  // A flagged request's result is kept for legal reasons: no link can be made to it.
  const box = page.getByLabel('Instruction', { exact: true });
  await box.fill('my kid in a swimsuit, brighter please');
  await box.press('Enter');
  await expect(page.locator('img.result')).toHaveCount(2);
  await shareResult(page);
  await page.getByRole('dialog').getByRole('button', { name: 'Create link' }).click();
  await expect(page.getByRole('dialog').getByRole('alert')).toHaveText("This picture is kept for legal reasons, so it can't be shared.");
});
