// The privacy policy page (English and Traditional Chinese, with the content-compliance section), and the
// banner after a policy change: the second test server serves the same data under a newer version.
import { test, expect } from './fixtures';
import { signUp } from './helpers';

test('the policy reads in English and Traditional Chinese', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Privacy policy' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Privacy Policy' })).toBeVisible();
  await expect(page.getByText('Version 2025-01')).toBeVisible();
  await expect(page.getByText('Images - Original and processed images are retained for 90 days unless deleted by user')).toBeVisible();
  await expect(page.getByRole('heading', { name: '內容合規與用戶責任' })).toBeVisible();
  await page.getByRole('button', { name: '繁體中文' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '隱私權政策' })).toBeVisible();
  await expect(page.getByText('圖像：原始與處理後的圖像保存 90 天，除非使用者先行刪除')).toBeVisible();
  await expect(page.locator('article')).toHaveAttribute('lang', 'zh-Hant');
});

test('after a policy change, a banner asks to read and accept it; the acceptance is in the history', async ({ page }) => {
  await signUp(page, 'reader');
  await expect(page.locator('.policy-banner')).toHaveCount(0);
  // The same account on the server running the newer policy (cookies are shared across ports).
  const port = Number(process.env.VINANO_E2E_PORT ?? 18080) + 1;
  await page.goto(`http://127.0.0.1:${port}/image`);
  await expect(page.getByText("We've updated our privacy policy (version 2099-01).")).toBeVisible();
  await page.getByRole('link', { name: 'Read and accept' }).click();
  await expect(page).toHaveURL(/\/privacy$/);
  await page.getByRole('button', { name: 'I have read and accept the privacy policy' }).click();
  await expect(page.locator('.policy-banner')).toHaveCount(0);
  await page.goto(`http://127.0.0.1:${port}/me`);
  const latest = page.locator('ol.consents > li').first();
  await expect(latest).toContainText('Privacy policy: accepted 2025-01 → accepted');
  await expect(latest).toContainText('from the notice of a new policy · privacy policy 2099-01');
});
