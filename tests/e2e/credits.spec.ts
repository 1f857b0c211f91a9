// Plans and credits, as a person meets them: the third server's Free plan gives two credits a month. The
// editor shows what is left and what the next send costs; the third edit is refused in words, storing
// nothing; Me → Subscription shows the plan, the credits and the plans on offer.
import { test, expect } from './fixtures';
import { attach, redBlueJpeg, signUp } from './helpers';

const port = Number(process.env.VINANO_E2E_PORT ?? 18080) + 2;
test.use({ baseURL: `http://127.0.0.1:${port}` });

test('the cost shows before sending, each edit takes a credit, and the last one is refused in words', async ({ page }) => {
  await signUp(page, `credits${Date.now()}`);
  const credits = page.getByTestId('credits');
  await expect(credits).toHaveText('2 credits left');
  await expect(credits).toHaveAttribute('href', '/me#subscription');
  await attach(page, { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: await redBlueJpeg(page) });
  const box = page.getByLabel('Instruction', { exact: true });
  await box.fill('make it black and white');
  const hint = page.locator('#send-hint');
  await expect(hint).toHaveText('This costs about one credit (2 left).');
  // Words the engine answers with a reply cost nothing, and say nothing of credits.
  await box.fill('sing me a song');
  await expect(hint).toHaveText('');
  await box.fill('make it black and white');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.locator('img.result')).toHaveCount(1);
  await expect(credits).toHaveText('one credit left');

  await box.fill('flip it');
  await expect(hint).toHaveText('This costs about one credit (1 left).');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.locator('img.result')).toHaveCount(2);
  await expect(credits).toHaveText('0 credits left');

  await box.fill('rotate it');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByRole('alert')).toHaveText(
    'This costs one credit and you have 0 left on the Free plan. New credits come at the start of your next ' +
      'period; Me → Subscription shows when, and the plans on offer.',
  );
  // Nothing was stored: the words stay in the box, the thread has its two results.
  await expect(box).toHaveValue('rotate it');
  await page.reload();
  await expect(page.locator('img.result')).toHaveCount(2);
  await expect(page.locator('.thread').getByText('rotate it')).toHaveCount(0);

  await credits.click();
  await expect(page).toHaveURL(/\/me#subscription$/);
  const card = page.locator('#subscription');
  await expect(card.getByTestId('plan-name')).toHaveText('Free');
  await expect(card.getByTestId('credits-left')).toHaveText('0 of 2');
  await expect(card).toContainText('Used this period');
  await expect(card).toContainText('2 credits');
  const rows = card.locator('table.plans tbody tr');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(0)).toContainText('Free');
  await expect(rows.nth(1)).toContainText('Pro');
  await expect(rows.nth(1)).toContainText('$12.00 a month');
  await expect(rows.nth(2)).toContainText('Studio');
});
