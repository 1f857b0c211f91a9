// Me → Appearance: dark or light whatever the system says, remembered in this browser; "As on this
// device" follows the system again.
import { test, expect } from './fixtures';

const background = (page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

test('choose dark on a light system; it stays after a reload; back to the system', async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: 'light' });
  const page = await context.newPage();
  await page.goto('/me');
  expect(await background(page)).toBe('rgb(247, 247, 251)');
  await expect(page.getByLabel('As on this device')).toBeChecked();
  await page.getByLabel('Dark', { exact: true }).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await background(page)).toBe('rgb(18, 17, 24)');
  await page.reload();
  await expect(page.getByLabel('Dark', { exact: true })).toBeChecked();
  expect(await background(page)).toBe('rgb(18, 17, 24)');
  await page.goto('/');
  expect(await background(page)).toBe('rgb(18, 17, 24)');
  await page.goto('/me');
  await page.getByLabel('As on this device').check();
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /.*/);
  expect(await background(page)).toBe('rgb(247, 247, 251)');
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await background(page)).toBe('rgb(18, 17, 24)');
  await context.close();
});
