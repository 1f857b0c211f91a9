// Every page passes axe-core's WCAG 2.1 A/AA rules: in English and Traditional Chinese, light and dark, on a
// phone and a desktop; and moving between pages puts focus on the new page's heading.
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import AxeBuilder from '@axe-core/playwright';
import { attach, signUp } from './helpers';

async function expectNoViolations(page: Page, label: string) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const summary = results.violations.map((v) => `${label}: ${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary).toEqual([]);
}

const PAGES: [string, string][] = [
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
];

const SIZES = {
  phone: { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true },
  desktop: { viewport: { width: 1280, height: 900 } },
};

// Every page in {English, Traditional Chinese (the browser's language)}, {light, dark} and {phone, desktop}:
// the four runs of a pairwise design, so that every pair of those values is checked together (each run is
// ≈ 15 s; all eight combinations added a minute to every CI run for no pair not already seen).
const RUNS = [
  ['en-US', 'light', 'phone'],
  ['en-US', 'dark', 'desktop'],
  ['zh-TW', 'light', 'desktop'],
  ['zh-TW', 'dark', 'phone'],
] as const;
for (const [locale, colorScheme, size] of RUNS) {
  test(`pages are accessible (${locale}, ${colorScheme}, ${size})`, async ({ browser }, testInfo) => {
    const context = await browser.newContext({ ...SIZES[size], locale, colorScheme, baseURL: testInfo.project.use.baseURL });
    const page = await context.newPage();
    for (const [path, heading] of PAGES) {
      await page.goto(path);
      if (locale === 'en-US') {
        await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
      } else {
        await expect(page.locator('html')).toHaveAttribute('lang', 'zh-Hant');
        await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      }
      await expectNoViolations(page, `${path} (${locale}, ${colorScheme}, ${size})`);
    }
    await context.close();
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

test('moving to another page puts focus on its heading, unless the person already moved it', async ({ page }) => {
  await page.goto('/');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'AI Tools' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'AI Tools' })).toBeFocused();
  await nav.getByRole('link', { name: 'Home' }).press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Edit photos by saying what you want' })).toBeFocused();
  // Typing right away on the next page is never interrupted.
  await page.getByRole('link', { name: 'Log in' }).first().click();
  const username = page.getByLabel('Email or username', { exact: true });
  await username.fill('ada');
  // (The app looks for the heading for about a second.)
  await page.waitForTimeout(1200);
  await expect(username).toBeFocused();
  await expect(username).toHaveValue('ada');
});
