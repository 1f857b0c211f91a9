// Steps shared by the end-to-end specs.
import { expect, Locator, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Signs up a new adult account through the form and waits for the editor. */
export async function signUp(page: Page, username: string) {
  await page.goto('/');
  await page.getByRole('link', { name: 'Sign up' }).first().click();
  await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible();
  await submitSignUp(page, username);
  await expect(page).toHaveURL(/\/image$/);
}

/** Fills the sign-up form on the page for a new adult account `username` and submits it. */
export async function submitSignUp(page: Page, username: string) {
  await page.getByLabel('Name', { exact: true }).fill('Ada Lovelace');
  await page.getByLabel('Email', { exact: true }).fill(`${username}@example.com`);
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Password', { exact: true }).fill('a long enough password');
  await page.getByLabel('Date of birth', { exact: true }).fill('1990-05-17');
  await page.getByLabel('I accept the ViNano terms of service.').check();
  await page.getByLabel('I have read and accept the privacy policy.').check();
  await page.getByLabel(/I am responsible for the photos I upload/).check();
  await page.getByRole('button', { name: 'Create account' }).click();
}

/** A file for `setInputFiles`. */
export type Upload = { name: string; mimeType: string; buffer: Buffer };

/** Attaches photos with the file picker and waits until every attached photo is prepared and uploaded. */
export async function attach(page: Page, ...files: Upload[]) {
  await page.getByLabel('Attach a photo', { exact: true }).setInputFiles(files);
  const rows = page.locator('.attachments > li');
  await expect(rows.filter({ hasText: 'Ready ·' })).toHaveCount(await rows.count(), { timeout: 30_000 });
}

/** Draws a `width` × `height` JPEG of one colour in the page. */
export async function solidJpeg(page: Page, width: number, height: number, colour = 'rgb(30,120,200)'): Promise<Buffer> {
  const dataUrl = await page.evaluate(([w, h, fill]) => {
    const c = document.createElement('canvas');
    c.width = w as number;
    c.height = h as number;
    const g = c.getContext('2d')!;
    g.fillStyle = fill as string;
    g.fillRect(0, 0, w as number, h as number);
    return c.toDataURL('image/jpeg', 0.9);
  }, [width, height, colour]);
  return Buffer.from(dataUrl.split(',')[1], 'base64');
}

/** Draws a JPEG in the page (120 × 80 unless told): left half red, right half blue. */
export async function redBlueJpeg(page: Page, width = 120, height = 80): Promise<Buffer> {
  const dataUrl = await page.evaluate(([w, h]) => {
    const c = document.createElement('canvas');
    c.width = w;
    c.height = h;
    const g = c.getContext('2d')!;
    g.fillStyle = 'rgb(230,20,20)';
    g.fillRect(0, 0, w / 2, h);
    g.fillStyle = 'rgb(20,20,230)';
    g.fillRect(w / 2, 0, w / 2, h);
    return c.toDataURL('image/jpeg', 0.95);
  }, [width, height]);
  return Buffer.from(dataUrl.split(',')[1], 'base64');
}

/** Decodes a quoted-printable mail body, as a mail client would. */
function unquote(text: string): string {
  const joined = text.replace(/=\r?\n/g, '');
  return Buffer.from(joined.replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8');
}

/** Waits for the `n`-th message (1-based) to `to` with a link to `path` in the server's outbox (`.eml`
 * files) and returns that link; with `token`, only a link carrying a single-use token counts. */
export async function linkFromMail(to: string, path: string, n = 1, token = true): Promise<string> {
  const tail = token ? '\\?token=[0-9a-f]{64}' : '(?=\\s)';
  const dir = join(process.env.VINANO_E2E_DATA_DIR!, 'outbox');
  let link: string | undefined;
  await expect
    .poll(() => {
      const messages = (() => {
        try {
          return readdirSync(dir).filter((f) => f.endsWith('.eml')).sort();
        } catch {
          return [];
        }
      })()
        .map((f) => unquote(readFileSync(join(dir, f), 'latin1')))
        .filter((m) => m.includes(`To: ${to}`) && m.includes(token ? `${path}?token=` : path));
      const found = messages[n - 1]?.match(new RegExp(`https?://[^\\s]+${path}${tail}`));
      link = found?.[0];
      return link !== undefined;
    }, { message: `message ${n} to ${to} with a ${path} link` })
    .toBe(true);
  return link!;
}

/** A 480 × 360 PNG drawn in the page: an orange figure (head and body) before a textured blue-grey wall,
 * the photo the server's segmentation tests use. */
export async function figurePhoto(page: Page): Promise<Buffer> {
  const dataUrl = await page.evaluate(() => {
    const [w, h] = [480, 360];
    const c = document.createElement('canvas');
    [c.width, c.height] = [w, h];
    const g = c.getContext('2d')!;
    const img = g.createImageData(w, h);
    for (let py = 0; py < h; py++) {
      for (let px = 0; px < w; px++) {
        const [x, y] = [px + 0.5, py + 0.5];
        const head = ((x - 0.5 * w) / (0.09 * w)) ** 2 + ((y - 0.3 * h) / (0.09 * w)) ** 2 < 1;
        const body = ((x - 0.5 * w) / (0.17 * w)) ** 2 + ((y - 0.68 * h) / (0.3 * h)) ** 2 < 1 && y < 0.92 * h;
        let rgb: number[];
        if (head || body) {
          const shade = 1 - 0.35 * Math.sqrt((x / w - 0.4) ** 2 + (y / h - 0.3) ** 2);
          rgb = [225 * shade, 90 * shade, 40 * shade];
        } else {
          const texture = 8 * Math.sin(x * 0.21) * Math.cos(y * 0.17) + 5 * Math.sin((x + y) * 0.05);
          const base = y > 0.85 * h ? [150, 140, 125] : [180, 195, 205];
          rgb = base.map((v) => v + texture - (20 * y) / h);
        }
        const i = (py * w + px) * 4;
        img.data.set([...rgb.map((v) => Math.max(0, Math.min(255, Math.floor(v)))), 255], i);
      }
    }
    g.putImageData(img, 0, 0);
    return c.toDataURL('image/png');
  });
  return Buffer.from(dataUrl.split(',')[1], 'base64');
}

/** An `<img>`'s picture as drawn: its natural size, and whether every pixel is grey (channels within 4). */
export async function pictureIsGray(img: Locator): Promise<{ width: number; height: number; gray: boolean }> {
  return img.evaluate(async (el: HTMLImageElement) => {
    const copy = new Image();
    copy.src = el.currentSrc || el.src;
    await copy.decode();
    const c = document.createElement('canvas');
    [c.width, c.height] = [copy.naturalWidth, copy.naturalHeight];
    const g = c.getContext('2d')!;
    g.drawImage(copy, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    let spread = 0;
    for (let i = 0; i < d.length; i += 4) spread = Math.max(spread, Math.abs(d[i] - d[i + 1]), Math.abs(d[i + 1] - d[i + 2]));
    return { width: c.width, height: c.height, gray: spread <= 4 };
  });
}

/** What axe finds against WCAG 2.1 A and AA on the page as it is now: "rule: elements", empty when clean. */
export async function axe(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
