// Per-person quotas, as a person meets one: a third server allows one upload an hour; the second photo's
// row says so, in words, and nothing else breaks.
import { test, expect } from './fixtures';
import { attach, redBlueJpeg, signUp } from './helpers';

const port = Number(process.env.VINANO_E2E_PORT ?? 18080) + 2;
test.use({ baseURL: `http://127.0.0.1:${port}` });

test('the second upload in an hour is refused with a message that says when to try again', async ({ page }) => {
  await signUp(page, `quota${Date.now()}`);
  const photo = { name: 'first.jpg', mimeType: 'image/jpeg', buffer: await redBlueJpeg(page) };
  await attach(page, photo);
  await page.getByLabel('Attach a photo', { exact: true }).setInputFiles([{ ...photo, name: 'second.jpg' }]);
  const second = page.locator('.attachments > li').filter({ hasText: 'second.jpg' });
  await expect(second).toContainText(
    /You have uploaded one photo in the last hour, the most allowed\. Please wait 60 minutes and try again\./,
  );
  // The first photo is still there and ready.
  await expect(page.locator('.attachments > li').filter({ hasText: 'first.jpg' })).toContainText('Ready ·');
});
