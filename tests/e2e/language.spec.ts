// Languages: the app speaks the browser's language until someone signs in, then the language chosen in
// Me → Account (English, Traditional or Simplified Chinese), everywhere and after a reload.
import { test, expect } from './fixtures';
import AxeBuilder from '@axe-core/playwright';
import { attach, redBlueJpeg, signUp } from './helpers';

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

test('what the editor said is shown in the language chosen now', async ({ page }) => {
  await signUp(page, 'bilingual');
  await attach(page, { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: await redBlueJpeg(page) });
  await page.getByLabel('Instruction', { exact: true }).fill('add a rainbow and crop it square');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.locator('.thread').getByText(`Done: crop square. I didn't understand "add a rainbow" and left that out.`)).toBeVisible();
  const conversation = page.url();

  await page.goto('/me');
  await page.getByLabel('Language', { exact: true }).selectOption('zh-Hant');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('link', { name: '首頁' })).toBeVisible();
  // The stored reply and the steps of the result, now in Chinese.
  await page.goto(conversation);
  await expect(page.locator('.thread').getByText('完成：裁成正方形。我看不懂「add a rainbow」，所以略過了。')).toBeVisible();
  await expect(page.locator('.generation')).toContainText('裁成正方形');
  // A new instruction the editor doesn't understand gets its answer in Chinese too.
  await page.getByLabel('指令', { exact: true }).fill('sing me a song');
  await page.getByRole('button', { name: '送出' }).click();
  await expect(page.locator('.thread').getByText(/^抱歉，我看不懂這個指令。我可以調整亮度/)).toBeVisible();
});

test('the window title names the page, in the language shown', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'zh-TW' });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page).toHaveTitle('首頁 · ViNano');
  await page.getByRole('link', { name: 'AI 影片' }).first().click();
  await expect(page).toHaveTitle('AI 影片 · ViNano');
  await page.goto('/privacy');
  await expect(page).toHaveTitle('隱私權政策 · ViNano');
  await page.goto('/no/such/page');
  await expect(page).toHaveTitle('找不到頁面 · ViNano');
  await context.close();
});
