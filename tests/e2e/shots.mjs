// Screenshots for review (not a test): the editor refusing a plan over the pixel budget, and the upload
// quota message, at phone and desktop size, light and dark. Needs a server at $BASE (default :18090) and
// writes PNGs to $OUT (default /tmp/shots).
import { chromium } from 'playwright';
import { mkdirSync } from 'node:fs';

const base = process.env.BASE ?? 'http://127.0.0.1:18090';
const out = process.env.OUT ?? '/tmp/shots';
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});

async function photo(page) {
  const dataUrl = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 1200; c.height = 800;
    const g = c.getContext('2d');
    const grad = g.createLinearGradient(0, 0, 1200, 800);
    grad.addColorStop(0, '#f4a261'); grad.addColorStop(1, '#2a9d8f');
    g.fillStyle = grad; g.fillRect(0, 0, 1200, 800);
    return c.toDataURL('image/jpeg', 0.9);
  });
  return Buffer.from(dataUrl.split(',')[1], 'base64');
}

let n = 0;
for (const [w, h] of [[390, 844], [1280, 900]]) {
  for (const scheme of ['light', 'dark']) {
    const context = await browser.newContext({ viewport: { width: w, height: h }, colorScheme: scheme, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const user = `shot${Date.now()}${n++}`;
    await page.goto(`${base}/signup`);
    await page.getByLabel('Name', { exact: true }).fill('Ada Lovelace');
    await page.getByLabel('Email', { exact: true }).fill(`${user}@example.com`);
    await page.getByLabel('Username', { exact: true }).fill(user);
    await page.getByLabel('Password', { exact: true }).fill('a long enough password');
    await page.getByLabel('Date of birth', { exact: true }).fill('1990-05-17');
    await page.getByLabel('I accept the ViNano terms of service.').check();
    await page.getByLabel('I have read and accept the privacy policy.').check();
    await page.getByLabel(/I am responsible for the photos I upload/).check();
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/image$/);
    await page.getByLabel('Attach a photo', { exact: true }).setInputFiles({ name: 'beach.jpg', mimeType: 'image/jpeg', buffer: await photo(page) });
    await page.locator('.attachments > li', { hasText: 'Ready ·' }).waitFor();
    await page.getByLabel('Instruction', { exact: true }).fill('resize it to 400% then resize it to 400% then resize it to 400%');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('alert').first().waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${out}/budget-${w}-${scheme}.png` });
    // A second photo in the same hour, on a server started with VINANO_QUOTA_UPLOADS_PER_HOUR=1.
    await page.getByLabel('Attach a photo', { exact: true }).setInputFiles({ name: 'second.jpg', mimeType: 'image/jpeg', buffer: await photo(page) });
    await page.locator('.attachments > li', { hasText: 'second.jpg' }).getByRole('alert').waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${out}/quota-${w}-${scheme}.png` });
    await context.close();
  }
}
await browser.close();
console.log(`screenshots in ${out}`);
