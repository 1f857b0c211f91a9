// Me → Privacy: settings are saved as they are changed and every change appears in the consent history;
// an image can be marked for commercial use (and given separate training consent) from the editor.
import { test, expect } from './fixtures';
import { attach, redBlueJpeg, signUp } from './helpers';

test('toggle privacy settings and see the consent history', async ({ page }) => {
  await signUp(page, 'private');
  await page.goto('/me');
  const training = page.getByLabel("Allow my images to be used, anonymised, to train ViNano's AI");
  await expect(training).toBeChecked();
  const history = page.locator('ol.consents > li');
  await expect(history).toHaveCount(3); // terms, privacy policy, responsibility at sign-up
  await training.uncheck();
  await expect(history).toHaveCount(4);
  // Said in words: what, the change, how.
  await expect(history.first()).toContainText('Your images for AI training: on → off');
  await expect(history.first()).toContainText('in Me → Privacy · privacy policy 2025-01');
  await page.getByLabel('Product news').check();
  await expect(history).toHaveCount(5);
  await expect(history.first()).toContainText('Product news emails: off → on');
  // Policy-change emails can't be turned off.
  await expect(page.getByLabel('Privacy policy changes')).toBeDisabled();
  await page.reload();
  await expect(page.getByLabel("Allow my images to be used, anonymised, to train ViNano's AI")).not.toBeChecked();
  await expect(page.getByLabel('Product news')).toBeChecked();
});

test('a browser sending Global Privacy Control is opted out without a prompt', async ({ browser }) => {
  const context = await browser.newContext({ extraHTTPHeaders: { 'Sec-GPC': '1' } });
  const page = await context.newPage();
  await signUp(page, 'gpcuser');
  await page.goto('/me');
  await expect(page.getByText('Your browser sends Global Privacy Control')).toBeVisible();
  await expect(page.getByLabel('Usage analytics')).not.toBeChecked();
  await expect(page.getByLabel("Allow my images to be used, anonymised, to train ViNano's AI")).not.toBeChecked();
  await context.close();
});

test('mark an image for commercial use, then consent to training for it', async ({ page }) => {
  await signUp(page, 'business');
  await attach(page, { name: 'product.jpg', mimeType: 'image/jpeg', buffer: await redBlueJpeg(page) });
  await page.getByLabel('Instruction', { exact: true }).fill('flip it');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.locator('img.result')).toBeVisible();
  const result = page.locator('.msg-assistant').last();
  // Every image says when the retention policy deletes it: 90 days from now.
  const in90 = new Date(Date.now() + 90 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  await expect(result.getByText(`Will be deleted on ${in90}`)).toBeVisible();
  await result.getByRole('button', { name: 'More for this version' }).click();
  await result.getByLabel('Commercial use: never use this image for AI training').check();
  const consent = result.getByLabel('I consent to using this commercial image for AI training anyway');
  await expect(consent).toBeVisible();
  await consent.check();
  await page.reload();
  const again = page.locator('.msg-assistant').last();
  await again.getByRole('button', { name: 'More for this version' }).click();
  await expect(again.getByLabel('Commercial use: never use this image for AI training')).toBeChecked();
  await expect(again.getByLabel('I consent to using this commercial image for AI training anyway')).toBeChecked();
  await page.goto('/me');
  await expect(page.locator('ol.consents > li').first()).toContainText('AI training on one commercial image: no consent → consent given');
});
