// Everything a person types is shown as text: script and event-handler payloads in their name, a prompt and
// a conversation title are displayed literally and never run (the CSP would also block them; the fixture
// fails the test on any violation, so they must not even be attempted).
import { test, expect } from './fixtures';
import { attach, redBlueJpeg, signUp } from './helpers';

const SCRIPT = '<script>window.__xss = "script"</script>';
const IMG = '<img src=x onerror="window.__xss = \'img\'">';

test('typed markup is shown as text and never runs', async ({ page }) => {
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs += 1;
    void d.dismiss();
  });
  await signUp(page, 'markup');

  // The name.
  await page.goto('/me');
  await page.getByLabel('Name', { exact: true }).fill(`Ada ${IMG}`);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await page.reload();
  await expect(page.getByText(`Signed in as Ada ${IMG}`)).toBeVisible();

  // A prompt (it becomes the conversation's title too), then a renamed title.
  await page.goto('/image');
  await attach(page, { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: await redBlueJpeg(page) });
  const instruction = page.getByLabel('Instruction', { exact: true });
  await instruction.fill(`${SCRIPT} ${IMG}`);
  await instruction.press('Enter');
  await expect(page.locator('.msg-user .msg-text').last()).toHaveText(`${SCRIPT} ${IMG}`);
  await page.reload();
  await expect(page.locator('.msg-user .msg-text').last()).toHaveText(`${SCRIPT} ${IMG}`);

  await page.getByRole('button', { name: 'More for this conversation' }).click();
  await page.getByRole('button', { name: 'Rename' }).click();
  await page.getByLabel('Conversation title', { exact: true }).fill(`Trip ${IMG}`);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { level: 2, name: `Trip ${IMG}` })).toBeVisible();
  await expect(page.getByRole('link', { name: `Trip ${IMG}` })).toBeVisible();

  // No element was created from the payloads, and nothing ran.
  expect(await page.locator('main script, main img[src="x"], body > img[src="x"]').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBeUndefined();
  expect(dialogs).toBe(0);
});
