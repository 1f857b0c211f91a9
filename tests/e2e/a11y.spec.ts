// Every page passes axe-core's WCAG 2.1 A/AA rules, in light and dark colour schemes.
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import AxeBuilder from '@axe-core/playwright';
import { attach, signUp } from './helpers';

async function expectNoViolations(page: Page, label: string) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const summary = results.violations.map((v) => `${label}: ${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary).toEqual([]);
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`pages are accessible (${colorScheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    for (const [path, heading] of [
      ['/', 'Edit photos by saying what you want'],
      ['/signup', 'Create your account'],
      ['/login', 'Log in'],
      ['/video', 'AI Video'],
      ['/tools', 'AI Tools'],
      ['/image', 'AI Image'],
      ['/me', 'Me'],
      ['/images', 'All my images'],
      ['/privacy', 'Privacy Policy'],
      ['/forgot-password', 'Forgot your password?'],
      ['/no-such-page', 'Page not found'],
    ]) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
      await expectNoViolations(page, path);
    }
  });
}

test('the editor is accessible with a conversation open', async ({ page }) => {
  await signUp(page, 'axe');
  await expectNoViolations(page, '/image (empty)');
  const dataUrl = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 40;
    c.height = 30;
    c.getContext('2d')!.fillRect(0, 0, 20, 30);
    return c.toDataURL('image/png');
  });
  await attach(page, { name: 'p.png', mimeType: 'image/png', buffer: Buffer.from(dataUrl.split(',')[1], 'base64') });
  await page.getByLabel('Instruction', { exact: true }).fill('flip it');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.locator('img.result')).toBeVisible();
  await expectNoViolations(page, '/image/:id');
  await page.getByRole('link', { name: 'All my images' }).click();
  await expect(page.locator('ul.library img')).toHaveCount(2);
  await expectNoViolations(page, '/images');
});
