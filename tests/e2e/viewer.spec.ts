// The full-screen viewer: by touch on a phone (tap opens, pinch zooms, a drag pans, a double tap fits, a
// swipe goes to the previous version) and by keyboard and mouse on a desktop (Enter opens, + and the wheel
// zoom, arrows pan and step, Escape closes and gives focus back).
import { test, expect } from './fixtures';
import type { Locator, Page } from '@playwright/test';
import { attach, redBlueJpeg, signUp } from './helpers';

/** A photo and one edit of it: two versions. */
async function twoVersions(page: Page, name: string) {
  await signUp(page, name);
  await attach(page, { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: await redBlueJpeg(page) });
  await page.getByLabel('Instruction', { exact: true }).fill('make it black and white');
  await page.getByLabel('Instruction', { exact: true }).press('Enter');
  await expect(page.locator('img.result')).toHaveCount(1);
}

/** One finger (`id`) on the stage, as a touch pointer. */
async function finger(stage: Locator, type: string, id: number, x: number, y: number) {
  await stage.dispatchEvent(type, { pointerId: id, pointerType: 'touch', isPrimary: id === 1, clientX: x, clientY: y, bubbles: true });
}

function offsets(transform: string | null): [number, number] {
  const m = /translate\((-?[\d.]+)px, (-?[\d.]+)px\)/.exec(transform ?? '')!;
  return [Number(m[1]), Number(m[2])];
}

test('by touch: tap opens, pinch zooms, drag pans, double tap fits, swipe goes back, Escape closes', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await twoVersions(page, 'pincher');
  const result = page.locator('img.result');
  const resultSrc = await result.getAttribute('src');
  const originalSrc = await page.locator('img.original').getAttribute('src');
  await result.tap();

  const viewer = page.getByRole('dialog', { name: 'Full-screen viewer' });
  await expect(viewer).toBeVisible();
  await expect(viewer.getByRole('status')).toHaveText('Version 2 of 2');
  await expect(viewer.locator('img.viewer-image')).toHaveAttribute('src', resultSrc!);
  const stage = viewer.locator('.viewer-stage');
  const frame = viewer.locator('.viewer-frame');
  const box = (await stage.boundingBox())!;
  const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];

  // Two fingers 100 px apart move to 200 px apart: twice the size.
  await finger(stage, 'pointerdown', 1, cx - 50, cy);
  await finger(stage, 'pointerdown', 2, cx + 50, cy);
  await finger(stage, 'pointermove', 2, cx + 150, cy);
  await finger(stage, 'pointerup', 2, cx + 150, cy);
  await finger(stage, 'pointerup', 1, cx - 50, cy);
  await expect(frame).toHaveAttribute('data-zoom', '2.00');

  // One finger drags the enlarged picture.
  const [x0, y0] = offsets(await frame.getAttribute('style'));
  await finger(stage, 'pointerdown', 1, cx, cy);
  await finger(stage, 'pointermove', 1, cx - 30, cy - 20);
  await finger(stage, 'pointerup', 1, cx - 30, cy - 20);
  const [x1, y1] = offsets(await frame.getAttribute('style'));
  expect([x1 - x0, y1 - y0]).toEqual([-30, -20]);

  // A double tap fits it to the screen again.
  for (let i = 0; i < 2; i++) {
    await finger(stage, 'pointerdown', 1, cx, cy);
    await finger(stage, 'pointerup', 1, cx, cy);
  }
  await expect(frame).toHaveAttribute('data-zoom', '1.00');

  // A swipe to the right: the version before, the photo.
  await finger(stage, 'pointerdown', 1, cx - 120, cy);
  await finger(stage, 'pointermove', 1, cx + 40, cy + 5);
  await finger(stage, 'pointerup', 1, cx + 40, cy + 5);
  await expect(viewer.getByRole('status')).toHaveText('Version 1 of 2');
  await expect(viewer.locator('img.viewer-image')).toHaveAttribute('src', originalSrc!);
  await expect(viewer.getByRole('button', { name: 'Previous version' })).toBeDisabled();

  // The picture fills the phone's width.
  const image = (await viewer.locator('img.viewer-image').boundingBox())!;
  expect(image.width).toBeGreaterThan(380);

  await page.keyboard.press('Escape');
  await expect(viewer).toBeHidden();
  await context.close();
});

test('by keyboard and mouse: Enter opens, + and the wheel zoom, arrows pan and step, compare, Escape returns focus', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await twoVersions(page, 'keys');
  const open = page.getByRole('button', { name: /^View full screen: Edited image/ });
  await open.focus();
  await page.keyboard.press('Enter');
  const viewer = page.getByRole('dialog', { name: 'Full-screen viewer' });
  await expect(viewer.getByRole('status')).toHaveText('Version 2 of 2');
  const frame = viewer.locator('.viewer-frame');

  await page.keyboard.press('+');
  await expect(frame).toHaveAttribute('data-zoom', '1.50');
  const [, y0] = offsets(await frame.getAttribute('style'));
  await page.keyboard.press('ArrowUp');
  const [, y1] = offsets(await frame.getAttribute('style'));
  expect(y1).toBeGreaterThan(y0);
  await page.keyboard.press('0');
  await expect(frame).toHaveAttribute('data-zoom', '1.00');

  // The wheel zooms about the pointer.
  const box = (await viewer.locator('.viewer-stage').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2 + 40, box.y + box.height / 2);
  await page.mouse.wheel(0, -300);
  await expect.poll(async () => Number(await frame.getAttribute('data-zoom'))).toBeGreaterThan(1.5);
  await page.keyboard.press('0');

  // Compare against the photo it was made from, inside the viewer.
  await viewer.getByRole('button', { name: 'Compare with before' }).click();
  await expect(viewer.locator('img.viewer-before')).toBeVisible();
  await expect(viewer.getByRole('slider')).toBeVisible();

  await page.keyboard.press('ArrowLeft');
  await expect(viewer.getByRole('status')).toHaveText('Version 1 of 2');
  await expect(viewer.locator('img.viewer-before')).toHaveCount(0);
  await page.keyboard.press('ArrowRight');
  await expect(viewer.getByRole('status')).toHaveText('Version 2 of 2');

  await page.keyboard.press('Escape');
  await expect(viewer).toBeHidden();
  await expect(open).toBeFocused();
});
