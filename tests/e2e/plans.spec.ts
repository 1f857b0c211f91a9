// Keeping a paid plan, as a person does it in Me → Subscription: adding a card (it becomes the one
// renewals charge) and removing one; switching Pro → Studio with the proration shown before it is paid,
// then the credits and the billing history; switching back down at the end of the period and keeping
// Studio after all.
import { test, expect } from './fixtures';
import { signUp } from './helpers';

const port = Number(process.env.VINANO_E2E_PORT ?? 18080) + 2;
test.use({ baseURL: `http://127.0.0.1:${port}` });

test('cards on file, and Pro → Studio with the proration asked first, then back down later', async ({ page }) => {
  await signUp(page, `plans${Date.now()}`);
  await page.goto('/me#subscription');
  const card = page.locator('#subscription');
  await expect(card.getByText('No card on file.', { exact: false })).toBeVisible();
  await card.getByRole('button', { name: 'Choose Pro' }).click();
  await page.getByLabel('Card number').fill('4242 4242 4242 4242');
  await page.getByLabel('Expiry date').fill('12/30');
  await page.getByLabel('Security code').fill('123');
  await page.getByRole('button', { name: /^Pay / }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Paid' })).toBeVisible();
  await page.goto('/me#subscription');
  await expect(card.getByTestId('plan-name')).toHaveText('Pro');

  // The card that paid is on file; add another: it becomes the default.
  const cards = card.getByTestId('payment-method');
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toContainText('Visa •••• 4242');
  await expect(cards.first()).toContainText('expires 12/2030');
  await expect(cards.first()).toContainText('Default');
  await card.getByRole('button', { name: 'Add a card' }).click();
  await page.getByLabel('Card number').fill('4000 0000 0000 0002');
  await page.getByLabel('Expiry date').fill('01/31');
  await page.getByLabel('Security code').fill('999');
  await card.getByRole('button', { name: 'Add the card' }).click();
  await expect(card.getByRole('alert').filter({ hasText: 'declined' })).toHaveText(
    'Your card was declined. Try another card.',
  );
  await page.getByLabel('Card number').fill('5555 5555 5555 4444');
  await card.getByRole('button', { name: 'Add the card' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'added' })).toContainText(
    'Mastercard •••• 4444 added: renewals charge it from now on.',
  );
  await expect(cards).toHaveCount(2);
  await expect(cards.first()).toContainText('Mastercard •••• 4444');
  await expect(cards.first()).toContainText('Default');
  await expect(cards.nth(1).getByRole('button', { name: 'Make default' })).toBeVisible();
  // Remove the Visa (asked first).
  await cards.nth(1).getByRole('button', { name: 'Remove' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('Remove Visa •••• 4242?');
  await dialog.getByRole('button', { name: 'Remove' }).click();
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toContainText('Mastercard •••• 4444');

  // Up to Studio: the price for the days left and the extra credits are said before anything is charged.
  await card.getByRole('button', { name: 'Switch to Studio' }).click();
  await expect(dialog.locator('#dialog-question')).toHaveText(
    /^Switch to Studio now\? You pay \$24\.00 today for the (28|29|30|31) days left of this \1-day period, and get 9000 more credits today\. Then Studio renews at \$36\.00 a month\.$/,
  );
  await dialog.getByRole('button', { name: 'Pay $24.00 and switch to Studio' }).click();
  await expect(page.getByRole('status').filter({ hasText: "You're on Studio" })).toBeVisible();
  await expect(card.getByTestId('plan-name')).toHaveText('Studio');
  await expect(card.getByTestId('credits-left')).toHaveText('12000 of 12000');
  const rows = card.locator('table.invoices tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText(/Upgrade from Pro to Studio, prorated for (\d+) of \1 days/);
  await expect(rows.first()).toContainText('$24.00');

  // Back down to Pro: at the end of the period, nothing charged; then keep Studio after all.
  await card.getByRole('button', { name: 'Switch to Pro' }).click();
  await expect(dialog.locator('#dialog-question')).toHaveText(/^Switch to Pro on \d{4}-\d{2}-\d{2}\? Studio and its credits stay until then, and nothing is charged today\./);
  await dialog.getByRole('button', { name: /^Switch to Pro on / }).click();
  await expect(card.getByTestId('plan-name')).toHaveText(/^Studio\s*· changes to Pro on \d{4}-\d{2}-\d{2}$/);
  await expect(card.getByTestId('renews')).toContainText('3000 new credits');
  await expect(rows).toHaveCount(2);
  await card.getByRole('button', { name: 'Keep Studio' }).click();
  await expect(card.getByTestId('plan-name')).toHaveText('Studio');
  await expect(card.getByTestId('renews')).toContainText('12000 new credits');
});
