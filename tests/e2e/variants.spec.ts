// Variants: "4 variants" in the composer's settings prices the send four times before it goes, and the
// reply offers four candidates side by side under the one it shows; tapping the third shows it, and the
// next instruction works on it. At phone and desktop size, with screenshots kept.
import { test, expect } from './fixtures';
import { attach, redBlueJpeg, signUp } from './helpers';

for (const [name, viewport] of [['phone', { width: 390, height: 844 }], ['desktop', { width: 1280, height: 900 }]] as const) {
  test(`on a ${name}, ask for four variants, see them priced, pick the third and edit it next`, async ({ page }, info) => {
    await page.setViewportSize(viewport);
    await signUp(page, `variants${name}`);
    await attach(page, { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: await redBlueJpeg(page) });
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByLabel('Variants').selectOption('4');
    await page.getByRole('button', { name: 'Done' }).click();
    await expect(page.locator('.settings-button .chip')).toContainText(['×4']);
    const box = page.getByLabel('Instruction', { exact: true });
    await box.fill('make it warmer');
    await expect(page.locator('#send-hint')).toHaveText(/^This costs about 4 credits/);
    await box.press('Enter');

    const grid = page.locator('.msg-assistant .variant-grid').last();
    await expect(grid.getByRole('button', { name: /^Variant \d$/ })).toHaveCount(4, { timeout: 30_000 });
    await expect(grid.getByRole('button', { name: 'Variant 1' })).toHaveAttribute('aria-pressed', 'true');
    const shown = page.locator('.msg-assistant img.result').last();
    const first = await shown.getAttribute('src');
    await info.attach(`variants-${name}`, { body: await page.screenshot({ path: info.outputPath(`variants-${name}.png`) }), contentType: 'image/png' });

    // Pick the third: the reply shows it, and the next edit is made from it.
    await grid.getByRole('button', { name: 'Variant 3' }).click();
    await expect(grid.getByRole('button', { name: 'Variant 3' })).toHaveAttribute('aria-pressed', 'true');
    await expect(shown).not.toHaveAttribute('src', first!);
    const picked = (await shown.getAttribute('src'))!.match(/images\/([0-9a-f]{32})/)![1];

    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByLabel('Variants').selectOption('1');
    await page.getByRole('button', { name: 'Done' }).click();
    await box.fill('rotate it 90 degrees');
    const answered = page.waitForResponse((r) => r.url().includes('/messages') && r.request().method() === 'POST');
    await box.press('Enter');
    await answered;
    await expect(page.locator('.msg-assistant img.result')).toHaveCount(2, { timeout: 30_000 });
    const detail = await page.evaluate(async () => {
      const id = location.pathname.split('/').pop();
      return (await fetch(`/api/v1/conversations/${id}`)).json();
    });
    const last = detail.messages.filter((m: { role: string }) => m.role === 'assistant').pop();
    expect(last.image.parent_id).toBe(picked);
    expect(last.variants ?? []).toHaveLength(0);
  });
}
