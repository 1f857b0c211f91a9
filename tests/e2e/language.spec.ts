// Languages: the app speaks the browser's language until someone signs in, then the language chosen in
// Me → Account (English, Traditional or Simplified Chinese), everywhere and after a reload.
import { test, expect } from './fixtures';
import AxeBuilder from '@axe-core/playwright';
import { signUp } from './helpers';

test('a browser set to Traditional Chinese gets the app in Traditional Chinese', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'zh-TW' });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('說出你想要的，照片就改好了');
  await expect(page.getByRole('link', { name: '註冊' }).first()).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-Hant');
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
  await context.close();
});

test('the language chosen in Me → Account is used everywhere, and kept', async ({ page }) => {
  await signUp(page, 'polyglot');
  await page.goto('/me');
  await page.getByLabel('Language', { exact: true }).selectOption('zh-Hant');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('link', { name: '首頁' })).toBeVisible();
  await expect(page.getByRole('heading', { name: '我的', level: 1 })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-Hant');
  await page.reload();
  await expect(page.getByRole('heading', { name: '你的資料', level: 2 })).toBeVisible();

  await page.getByLabel('語言', { exact: true }).selectOption('zh-Hans');
  await page.getByRole('button', { name: '儲存變更' }).click(); // still in Traditional until saved
  await expect(page.getByRole('link', { name: '首页' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-Hans');
  await page.getByRole('link', { name: 'AI 图片' }).first().click();
  await expect(page.getByLabel('指令', { exact: true })).toBeVisible();
});
