// Several photos in one message: attach a photo and a logo (numbered "Image 1" and "Image 2"), write "put image 2 in the bottom right corner
// of image 1", and the result is the photo with the logo in that corner (checked by its pixels), a child of
// the first photo, with a reply that says so. At phone and desktop size, with screenshots kept.
import { test, expect } from './fixtures';
import { attach, signUp, solidJpeg } from './helpers';

for (const [name, viewport] of [['phone', { width: 390, height: 844 }], ['desktop', { width: 1280, height: 900 }]] as const) {
  test(`on a ${name}, put the second photo in the corner of the first`, async ({ page }, info) => {
    await page.setViewportSize(viewport);
    await signUp(page, `refs${name}`);
    const photo = await solidJpeg(page, 400, 200, 'rgb(60,60,60)');
    const logo = await solidJpeg(page, 80, 80, 'rgb(20,200,40)');
    await attach(
      page,
      { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: photo },
      { name: 'logo.jpg', mimeType: 'image/jpeg', buffer: logo },
    );
    // Numbered in the order attached, with how to name them.
    await expect(page.locator('.attachment-number')).toHaveText([/^Image 1 ·/, /^Image 2 ·/]);
    await expect(page.locator('.attachments-hint')).toContainText('put image 2 in the bottom right corner of image 1');
    await info.attach(`references-attached-${name}`, { body: await page.screenshot({ path: info.outputPath(`references-attached-${name}.png`) }), contentType: 'image/png' });
    const box = page.getByLabel('Instruction', { exact: true });
    await box.fill('put image 2 in the bottom right corner of image 1');
    await box.press('Enter');

    const result = page.locator('.msg-assistant img.result').last();
    await expect(result).toBeVisible({ timeout: 30_000 });
    await expect(page.locator('.msg-assistant').last()).toContainText('image 2 placed at the bottom right (25% wide)');
    await info.attach(`references-${name}`, { body: await page.screenshot({ path: info.outputPath(`references-${name}.png`) }), contentType: 'image/png' });

    // The result: the photo's size, the logo 100 px wide 8 px (4 % of 200) from the right and bottom.
    const found = await page.evaluate(async () => {
      const id = location.pathname.split('/').pop();
      const detail = await (await fetch(`/api/v1/conversations/${id}`)).json();
      const photos = detail.messages.filter((m: { role: string; image?: unknown }) => m.role === 'user' && m.image);
      const reply = detail.messages.filter((m: { role: string }) => m.role === 'assistant').pop();
      const bitmap = await createImageBitmap(await (await fetch(`/api/v1/images/${reply.image.id}`)).blob());
      const c = new OffscreenCanvas(bitmap.width, bitmap.height);
      const g = c.getContext('2d')!;
      g.drawImage(bitmap, 0, 0);
      const at = (x: number, y: number) => Array.from(g.getImageData(x, y, 1, 1).data.slice(0, 3));
      return {
        size: [bitmap.width, bitmap.height],
        parent: reply.image.parent_id,
        first: photos[0].image.id,
        inside: [at(300, 100), at(385, 185), at(345, 140)],
        outside: [at(20, 20), at(345, 40), at(280, 140)],
      };
    });
    expect(found.size).toEqual([400, 200]);
    expect(found.parent).toBe(found.first);
    const near = (p: number[], rgb: number[]) => p.every((v, i) => Math.abs(v - rgb[i]) <= 16);
    for (const p of found.inside) expect(near(p, [20, 200, 40]), `inside ${p}`).toBe(true);
    for (const p of found.outside) expect(near(p, [60, 60, 60]), `outside ${p}`).toBe(true);
  });
}
