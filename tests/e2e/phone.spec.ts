// Phone first: at 390 × 844 (a phone, touch) and 1280 × 900 (a desktop), no page overflows sideways; on
// AI Image the composer takes at most a fifth of the screen, the newest result is fully in view after an
// edit (never under the composer), the conversation's title takes one or two lines, the settings open as
// a sheet (phone) or a panel (desktop) and show what was chosen as a chip, a banner never pushes the
// composer off the screen, and on a phone the list of
// conversations is a drawer. A screenshot of every page at both sizes is kept with the test's results.
import { test, expect } from './fixtures';
import type { Page, TestInfo } from '@playwright/test';
import { attach, redBlueJpeg, signUp } from './helpers';

const SIZES = [
  { width: 390, height: 844, phone: true },
  { width: 1280, height: 900, phone: false },
];

async function look(page: Page, info: TestInfo, name: string) {
  const [scroll, client] = await page.evaluate(() => [
    document.documentElement.scrollWidth,
    document.documentElement.clientWidth,
  ]);
  expect(scroll, `${name} overflows sideways`).toBeLessThanOrEqual(client);
  await info.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
}

for (const size of SIZES) {
  test(`every page fits, and the editor works at ${size.width} × ${size.height}`, async ({ browser }, info) => {
    const context = await browser.newContext({
      viewport: { width: size.width, height: size.height },
      hasTouch: size.phone,
      isMobile: size.phone,
    });
    const page = await context.newPage();
    await page.goto('/');
    await look(page, info, `home-visitor-${size.width}`);
    // The pages a visitor sees, and the page for an address that doesn't exist.
    for (const path of ['/login', '/signup', '/forgot-password', '/privacy', '/no-such-page']) {
      await page.goto(path);
      await expect(page.locator('h1').first()).toBeVisible();
      await look(page, info, `${path.slice(1)}-visitor-${size.width}`);
    }
    await signUp(page, `fit${size.width}`);
    for (const path of ['/', '/images', '/video', '/tools', '/tools/poster', '/tools/product', '/tools/id', '/tools/batch', '/tools/resize', '/me', '/privacy']) {
      await page.goto(path);
      await expect(page.locator('h1').first()).toBeVisible();
      await look(page, info, `${path.slice(1) || 'home'}-${size.width}`);
    }

    await page.goto('/image');
    const composer = page.locator('form.composer');
    const fifth = size.height * 0.2;
    expect((await composer.boundingBox())!.height).toBeLessThanOrEqual(fifth);

    // An edit with a long instruction (the conversation's title).
    await attach(page, { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: await redBlueJpeg(page) });
    const instruction = page.getByLabel('Instruction', { exact: true });
    await instruction.fill('make it black and white and then rotate it by ninety degrees clockwise, thank you very much');
    await instruction.press('Enter');
    await expect(page.locator('img.result')).toHaveCount(1);
    const result = page.locator('img.result').last();
    await expect(result).toBeInViewport({ ratio: 1 });
    const [shown, under] = [(await result.boundingBox())!, (await composer.boundingBox())!];
    expect(shown.y + shown.height, 'the result is above the composer').toBeLessThanOrEqual(under.y + 1);
    expect(under.height).toBeLessThanOrEqual(fifth);

    const title = page.locator('.conversation-title');
    const lines = await title.evaluate((el) => {
      const style = getComputedStyle(el);
      const line = style.lineHeight === 'normal' ? parseFloat(style.fontSize) * 1.3 : parseFloat(style.lineHeight);
      return el.getBoundingClientRect().height / line;
    });
    expect(lines, 'title lines').toBeLessThanOrEqual(2.2);
    await look(page, info, `image-${size.width}`);

    // A banner (here: offline) takes its room from the thread: the composer stays on the screen, above the
    // tab bar on a phone, and the page doesn't scroll for it.
    await context.setOffline(true);
    await expect(page.getByText("You're offline.")).toBeVisible();
    const bottom = size.phone ? (await page.locator('nav.tabbar').boundingBox())!.y : size.height;
    const squeezed = (await composer.boundingBox())!;
    expect(squeezed.y + squeezed.height, 'the composer is above the tab bar').toBeLessThanOrEqual(bottom + 1);
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    await look(page, info, `image-offline-${size.width}`);
    await context.setOffline(false);
    await expect(page.getByText("You're offline.")).toHaveCount(0);

    // Settings: a sheet on phones, a panel on desktops; what was chosen shows as a chip.
    const settings = page.getByRole('button', { name: 'Settings' });
    await settings.click();
    await expect(settings).toHaveAttribute('aria-expanded', 'true');
    const panel = page.getByRole('group', { name: 'Settings', exact: true });
    await expect(panel).toBeInViewport({ ratio: 1 });
    await page.getByLabel('Aspect ratio').selectOption('1:1');
    await look(page, info, `image-settings-${size.width}`);
    await page.keyboard.press('Escape');
    await expect(panel).toBeHidden();
    await expect(settings).toContainText('1:1 square');

    if (size.phone) {
      // The conversation list is a drawer: closed, open, and closed again by choosing a conversation.
      const list = page.getByRole('complementary', { name: 'Conversations' });
      await expect(list).not.toBeInViewport();
      await page.getByRole('button', { name: 'Conversations' }).click();
      await expect(list).toBeInViewport();
      await look(page, info, `image-drawer-${size.width}`);
      await list.getByRole('link', { name: /make it black and white/ }).click();
      await expect(list).not.toBeInViewport();
    }
    await context.close();
  });
}

test('on a phone held sideways (844 × 390) the editor scrolls as a page and nothing covers the composer', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 844, height: 390 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await signUp(page, 'sideways');
  const composer = page.locator('form.composer');
  await composer.scrollIntoViewIfNeeded();
  await expect(composer).toBeInViewport({ ratio: 1 });
  const [form, footer] = [(await composer.boundingBox())!, (await page.locator('footer.site-footer').boundingBox())!];
  expect(form.y + form.height, 'the footer starts below the composer').toBeLessThanOrEqual(footer.y + 1);
  // The thread keeps room to show a result.
  expect((await page.locator('.thread-scroll').boundingBox())!.height).toBeGreaterThan(200);
  await context.close();
});
