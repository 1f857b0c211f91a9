// Every refusal a person can run into is said in their language: the server sends a message key with its
// values, and the app words it from the shared locale files (crates/api/locales/). A browser set to
// Traditional Chinese, from the log-in form to the editor.
import { test, expect } from './fixtures';
import { crc32 } from 'node:zlib';
import { redBlueJpeg } from './helpers';

/** A PNG whose header claims 100 000 × 100 000 pixels (10 000 megapixels): a few dozen bytes. */
function hugePng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(100_000, 0);
  header.writeUInt32BE(100_000, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', Buffer.alloc(8)), chunk('IEND', Buffer.alloc(0))]);
}

test('a Chinese browser reads every refusal in Chinese', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'zh-TW' });
  const page = await context.newPage();

  // A wrong password (the server's answer).
  await page.goto('/login');
  await page.getByLabel('電子郵件或使用者名稱', { exact: true }).fill('nobody-here');
  await page.getByLabel('密碼', { exact: true }).fill('not the password');
  await page.getByRole('button', { name: '登入', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText('這組電子郵件／使用者名稱和密碼不符合任何帳號。');

  // An under-13 birth date (the rule the app shares with the server).
  await page.goto('/signup');
  await page.getByLabel('姓名', { exact: true }).fill('林小美');
  await page.getByLabel('電子郵件', { exact: true }).fill('xiaomei@example.com');
  await page.getByLabel('使用者名稱', { exact: true }).fill('xiaomei');
  await page.getByLabel('密碼', { exact: true }).fill('a long enough password');
  await page.getByLabel('出生日期', { exact: true }).fill('2020-03-01');
  await page.getByLabel('我接受 ViNano 服務條款。').check();
  await page.getByLabel('我已閱讀並接受隱私權政策。').check();
  await page.getByLabel(/我對自己上傳的照片/).check();
  await page.getByRole('button', { name: '建立帳號' }).click();
  await expect(page.locator('#date_of_birth-error')).toHaveText('抱歉，你必須年滿 13 歲才能使用 ViNano。');
  await expect(page.getByLabel('出生日期', { exact: true })).toHaveAttribute('aria-invalid', 'true');

  // A real birth date makes the account.
  await page.getByLabel('出生日期', { exact: true }).fill('1990-05-17');
  await page.getByRole('button', { name: '建立帳號' }).click();
  await expect(page).toHaveURL(/\/image$/);

  // A photo too large to prepare (the browser's check, in the same words the server uses).
  await page.getByLabel('附加照片', { exact: true }).setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: hugePng() });
  await expect(page.locator('.attachments > li')).toContainText('這張圖片太大（100 000 × 100 000 像素）。上限是 40 百萬像素。');
  await page.getByRole('button', { name: /^移除/ }).click();

  // An instruction the moderation gate refuses (the server's answer, naming the category).
  await page.getByLabel('附加照片', { exact: true }).setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: await redBlueJpeg(page) });
  await expect(page.locator('.attachments > li').filter({ hasText: '就緒 ·' })).toHaveCount(1, { timeout: 30_000 });
  const instruction = page.getByLabel('指令', { exact: true });
  await instruction.fill('nudify her');
  await instruction.press('Enter');
  const alert = page.locator('.composer > .alert');
  await expect(alert).toContainText('ViNano 無法協助這個要求');
  await expect(alert).toContainText('未經同意的真人性感或裸露圖片');
  await expect(alert).not.toContainText('ViNano can');
  await context.close();
});
