// A new person signs up, uploads a photo, asks for an edit in plain English and gets the edited image;
// checked by pixels and dimensions, and again after a reload.
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { attach, redBlueJpeg, signUp } from './helpers';

/** The shared 120 × 80 red/blue test photo. */
const makeJpeg = redBlueJpeg;

/** Reads an <img> back through a canvas: size, grayscale-ness, and mean brightness of top and bottom. */
async function inspect(page: Page, selector: string) {
  return page.locator(selector).last().evaluate(async (shown: HTMLImageElement) => {
    // The stored version itself (the page may show a smaller preview of it).
    const el = new Image();
    el.src = shown.getAttribute('src')!;
    await el.decode();
    const c = document.createElement('canvas');
    c.width = el.naturalWidth;
    c.height = el.naturalHeight;
    const g = c.getContext('2d')!;
    g.drawImage(el, 0, 0);
    const { data } = g.getImageData(0, 0, c.width, c.height);
    let maxChannelSpread = 0;
    let top = 0, bottom = 0, nTop = 0, nBottom = 0;
    for (let y = 0; y < c.height; y++) {
      for (let x = 0; x < c.width; x++) {
        const i = (y * c.width + x) * 4;
        const [r, gr, b] = [data[i], data[i + 1], data[i + 2]];
        maxChannelSpread = Math.max(maxChannelSpread, Math.abs(r - gr), Math.abs(gr - b));
        if (y < c.height * 0.4) { top += r; nTop++; }
        if (y > c.height * 0.6) { bottom += r; nBottom++; }
      }
    }
    return { width: c.width, height: c.height, maxChannelSpread, top: top / nTop, bottom: bottom / nBottom };
  });
}

test('sign up, upload, "make it black and white and rotate it 90 degrees", reload', async ({ page }) => {
  await signUp(page, 'ada');
  const jpeg = await makeJpeg(page);
  await attach(page, { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: jpeg });
  await page.getByLabel('Instruction', { exact: true }).fill('make it black and white and rotate it 90 degrees');
  await page.getByRole('button', { name: 'Send' }).click();

  await expect(page).toHaveURL(/\/image\/[0-9a-f]{32}$/);
  const result = page.locator('img.result');
  await expect(result).toBeVisible();
  await expect(page.locator('.thread').getByText('Done: black and white, then rotate 90° clockwise.')).toBeVisible();
  // A screen reader hears the new reply once, on its own (the thread itself is not a live region).
  await expect(page.locator('p.visually-hidden[role="status"]')).toHaveText('Done: black and white, then rotate 90° clockwise.');
  await expect(page.locator('[aria-live]').filter({ has: page.locator('img') })).toHaveCount(0);

  const px = await inspect(page, 'img.result');
  expect([px.width, px.height]).toEqual([80, 120]);
  expect(px.maxChannelSpread).toBeLessThanOrEqual(4);
  // Clockwise: the red left half (brighter in gray) is now on top, the blue right half at the bottom.
  expect(px.top - px.bottom).toBeGreaterThan(20);
  const original = await inspect(page, 'img.original');
  expect([original.width, original.height]).toEqual([120, 80]);

  const src = await result.getAttribute('src');
  await page.reload();
  await expect(page.locator('img.result')).toHaveAttribute('src', src!);
  await expect(page.getByText('make it black and white and rotate it 90 degrees').first()).toBeVisible();
  const again = await inspect(page, 'img.result');
  expect([again.width, again.height]).toEqual([80, 120]);
  // The conversation is listed under its first instruction.
  await expect(page.getByRole('link', { name: 'make it black and white and rotate it 90 degrees' })).toBeVisible();
});

test('errors are shown as readable messages', async ({ page }) => {
  await page.goto('/signup');
  await page.getByLabel('Name', { exact: true }).fill('Young Person');
  await page.getByLabel('Email', { exact: true }).fill('young@example.com');
  await page.getByLabel('Username', { exact: true }).fill('young');
  await page.getByLabel('Password', { exact: true }).fill('a long enough password');
  const tenYearsAgo = new Date(Date.now() - 10 * 365.25 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  await page.getByLabel('Date of birth', { exact: true }).fill(tenYearsAgo);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('alert')).toContainText('at least 13 years old');
  await expect(page).toHaveURL(/\/signup$/);

  await signUp(page, 'grace');
  // A file that claims to be a JPEG but is not one: the server refuses it by content.
  await page.getByLabel('Attach a photo', { exact: true }).setInputFiles({ name: 'fake.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('definitely not a picture') });
  const fake = page.locator('.attachments > li', { hasText: 'fake.jpg' });
  await expect(fake.getByRole('alert')).toContainText('not a supported image');
  await page.getByLabel('Instruction', { exact: true }).fill('rotate it');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.locator('.composer > .alert')).toContainText("Remove the photos that couldn't be added");
  await expect(page).toHaveURL(/\/image$/);

  // An empty file is refused on its own row; the rest of the draft is kept.
  await page.getByLabel('Attach a photo', { exact: true }).setInputFiles({ name: 'empty.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(0) });
  await expect(page.locator('.attachments > li', { hasText: 'empty.jpg' }).getByRole('alert')).toContainText('This file is empty');
  await expect(fake).toBeVisible();
  await expect(page.getByLabel('Instruction', { exact: true })).toHaveValue('rotate it');
  await page.getByRole('button', { name: 'Remove fake.jpg' }).click();
  await page.getByRole('button', { name: 'Remove empty.jpg' }).click();
  await expect(page.locator('.attachments > li')).toHaveCount(0);

  // Wrong password.
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.goto('/login');
  await page.getByLabel('Email or username', { exact: true }).fill('grace');
  await page.getByLabel('Password', { exact: true }).fill('wrong password!');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('alert')).toContainText("don't match");
});

test('navigation works on a phone-sized screen', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/');
  const tabs = page.getByRole('navigation', { name: 'Main' }).filter({ visible: true });
  await expect(tabs).toHaveCount(1);
  for (const [name, heading] of [['AI Video', 'AI Video'], ['AI Tools', 'AI Tools'], ['Home', 'Edit photos by saying what you want']]) {
    await tabs.getByRole('link', { name }).click();
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
  }
  const box = await tabs.boundingBox();
  expect(box!.y + box!.height).toBeGreaterThan(800);
});

test('choose an earlier image as the target; Enter sends, Shift+Enter does not', async ({ page }) => {
  await signUp(page, 'target');
  const jpeg = await makeJpeg(page);
  await attach(page, { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: jpeg });
  const instruction = page.getByLabel('Instruction', { exact: true });
  await instruction.fill('rotate it 90 degrees');
  await instruction.press('Enter');
  await expect(page.locator('img.result')).toHaveCount(1);
  expect(await inspect(page, 'img.result')).toMatchObject({ width: 80, height: 120 });

  // Pick the original 120×80 upload instead of the latest (rotated) result.
  await page.locator('li.msg-user').first().getByRole('button', { name: 'More for this version' }).click();
  await page.locator('li.msg-user').first().getByRole('button', { name: 'Edit this one next' }).click();
  await expect(page.getByText('Next edit applies to: Your photo (120 × 80)')).toBeVisible();
  await instruction.fill('crop it 16:9');
  await instruction.press('Enter');
  await expect(page.locator('img.result')).toHaveCount(2);
  // 16:9 from 120×80 is 120×67; from the rotated 80×120 it would have been 80×45.
  expect(await inspect(page, 'img.result')).toMatchObject({ width: 120, height: 67 });
  await expect(page.locator('.generation').last()).toContainText('crop to 16:9 · local engine ·');
  await expect(page.locator('li.msg-user').last().locator('img.original')).toHaveAttribute('alt', 'Your photo (120 × 80)');

  await instruction.fill('flip it');
  await instruction.press('Shift+Enter');
  await expect(instruction).toHaveValue('flip it\n');
  await expect(page.locator('img.result')).toHaveCount(2);
});

test('rename, search and delete a conversation', async ({ page }) => {
  await signUp(page, 'organizer');
  await attach(page, { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: await makeJpeg(page) });
  await page.getByLabel('Instruction', { exact: true }).fill('flip it');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.locator('img.result')).toBeVisible();

  await page.getByRole('button', { name: 'More for this conversation' }).click();
  await page.getByRole('button', { name: 'Rename' }).click();
  await page.getByLabel('Conversation title', { exact: true }).fill('Beach day');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Beach day' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Beach day' })).toBeVisible();

  const search = page.getByLabel('Search conversations', { exact: true });
  await search.fill('BEACH');
  await expect(page.getByRole('link', { name: 'Beach day' })).toBeVisible();
  await search.fill('mountains');
  await expect(page.getByText('No conversations match.')).toBeVisible();
  await search.fill('');
  await expect(page.getByRole('link', { name: 'Beach day' })).toBeVisible();

  const src = (await page.locator('img.result').getAttribute('src'))!;
  await page.getByRole('button', { name: 'More for this conversation' }).click();
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(page).toHaveURL(/\/image$/);
  await expect(page.getByText('No conversations yet.')).toBeVisible();
  // The edited image is gone from the server too.
  expect(await page.evaluate(async (url) => (await fetch(url)).status, src)).toBe(404);
});

test('compare before and after with the keyboard; an unsent draft survives a reload', async ({ page }) => {
  await signUp(page, 'compare');
  await attach(page, { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: await makeJpeg(page) });
  const instruction = page.getByLabel('Instruction', { exact: true });
  await instruction.fill('make it black and white');
  await instruction.press('Enter');
  await expect(page.locator('img.result')).toBeVisible();

  await page.locator('.msg-assistant').last().getByRole('button', { name: 'More for this version' }).click();
  await page.getByRole('button', { name: 'Compare with before' }).click();
  const slider = page.getByRole('slider', { name: /Before and after/ });
  await expect(slider).toBeFocused();
  await expect(page.locator('img.compare-before')).toHaveAttribute('style', /inset\(0(px)? 50% 0(px)? 0(px)?\)/);
  for (let i = 0; i < 5; i++) await slider.press('ArrowRight');
  await expect(slider).toHaveValue('55');
  await expect(page.locator('img.compare-before')).toHaveAttribute('style', /inset\(0(px)? 45% 0(px)? 0(px)?\)/);
  await slider.press('Escape');
  await expect(slider).toBeHidden();

  await instruction.fill('crop it square and make it brighter');
  await page.reload();
  await expect(page.getByLabel('Instruction', { exact: true })).toHaveValue('crop it square and make it brighter');
  await page.getByLabel('Instruction', { exact: true }).press('Enter');
  await expect(page.locator('img.result')).toHaveCount(2);
  await page.reload();
  await expect(page.locator('img.result')).toHaveCount(2);
  await expect(page.getByLabel('Instruction', { exact: true })).toHaveValue('');
});

test('rate a result with a comment; the rating survives a reload', async ({ page }) => {
  await signUp(page, 'rater');
  await attach(page, { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: await makeJpeg(page) });
  await page.getByLabel('Instruction', { exact: true }).fill('flip it');
  await page.getByLabel('Instruction', { exact: true }).press('Enter');
  await expect(page.locator('img.result')).toBeVisible();

  const menu = page.locator('.msg-assistant').last().getByRole('button', { name: 'More for this version' });
  await menu.click();
  await page.getByRole('button', { name: 'Bad result' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Thanks for the feedback.' })).toBeVisible();
  await page.getByRole('button', { name: 'Add a comment' }).click();
  await page.getByLabel('Your comment about this result', { exact: true }).fill('The colours look washed out');
  const saved = page.waitForResponse((r) => r.url().endsWith('/feedback') && r.request().method() === 'PUT');
  await page.getByRole('button', { name: 'Save comment' }).click();
  expect((await saved).status()).toBe(200);

  await page.reload();
  await menu.click();
  await expect(page.getByRole('button', { name: 'Bad result' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('button', { name: 'Good result' })).toHaveAttribute('aria-pressed', 'false');
  await page.getByRole('button', { name: 'Add a comment' }).click();
  await expect(page.getByLabel('Your comment about this result', { exact: true })).toHaveValue('The colours look washed out');
});

test('"All my images" shows uploads and results and opens their conversation', async ({ page }) => {
  await signUp(page, 'library');
  await attach(page, { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: await makeJpeg(page) });
  await page.getByLabel('Instruction', { exact: true }).fill('rotate it 90 degrees');
  await page.getByLabel('Instruction', { exact: true }).press('Enter');
  await expect(page.locator('img.result')).toBeVisible();
  const conversationUrl = page.url();

  await page.getByRole('link', { name: 'All my images' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'All my images' })).toBeVisible();
  const tiles = page.locator('ul.library img');
  await expect(tiles).toHaveCount(2);
  // Newest first: the rotated result, then the upload.
  await expect(tiles.nth(0)).toHaveAttribute('alt', 'Edited image: rotate 90° clockwise (80 × 120)');
  await expect(tiles.nth(1)).toHaveAttribute('alt', 'Your photo (120 × 80)');
  await page.getByRole('link', { name: 'Open the conversation with Your photo (120 × 80)' }).click();
  await expect(page).toHaveURL(conversationUrl);
  await expect(page.locator('img.result')).toBeVisible();
});

test('a prompt the moderation gate refuses says why and leaves the draft', async ({ page }) => {
  await signUp(page, 'moderated');
  await attach(page, { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: await makeJpeg(page) });
  const instruction = page.getByLabel('Instruction', { exact: true });
  await instruction.fill('nudify her');
  await instruction.press('Enter');
  await expect(page.locator('.composer > .alert')).toContainText("can't help with this request");
  await expect(page.locator('.composer > .alert')).toContainText('without their consent');
  await expect(instruction).toHaveValue('nudify her');
  await expect(page.locator('img.result')).toHaveCount(0);
});

test('a plan over the pixel budget is refused with the size it would make, in the person\'s words', async ({ page }) => {
  await signUp(page, 'budget');
  await attach(page, { name: 'small.jpg', mimeType: 'image/jpeg', buffer: await makeJpeg(page) });
  // 120 × 80 four times at 400 %: the fourth step would make 30 720 × 20 480 (629 MP).
  const instruction = 'resize it to 400% then resize it to 400% then resize it to 400% then resize it to 400%';
  await page.getByLabel('Instruction', { exact: true }).fill(instruction);
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByRole('alert')).toContainText(
    'This would make a 30 720 × 20 480 image; the limit is 40 megapixels. Try a smaller size.',
  );
  // Nothing was sent: the instruction is still there to change.
  await expect(page.getByLabel('Instruction', { exact: true })).toHaveValue(instruction);
  await expect(page.locator('img.result')).toHaveCount(0);
});
