// Paying for a plan with the local test-mode processor, as a person does it: Me → Subscription → Choose
// Pro → the checkout page; a declined card says so and changes nothing; 4242… pays, the plan starts and
// its credits show in the editor at once.
import { test, expect } from './fixtures';
import { signUp } from './helpers';

const port = Number(process.env.VINANO_E2E_PORT ?? 18080) + 2;
test.use({ baseURL: `http://127.0.0.1:${port}` });

test('Free to Pro with a test card: a declined card first, then 4242 4242 4242 4242', async ({ page }) => {
  await signUp(page, `pro${Date.now()}`);
  await expect(page.getByTestId('credits')).toHaveText('2 credits left');
  await page.goto('/me#subscription');
  const card = page.locator('#subscription');
  await expect(card.getByTestId('plan-name')).toHaveText('Free');
  await card.getByRole('button', { name: 'Choose Pro' }).click();
  await expect(page).toHaveURL(/\/billing\/checkout\/[0-9a-f]{32}$/);
  await expect(page.getByRole('heading', { name: 'Checkout' })).toBeVisible();
  await expect(page.getByTestId('checkout-summary')).toHaveText('Pro: $12.00 a month, 3000 credits a month.');
  await expect(page.getByText(/^Test mode: no card is charged\./)).toBeVisible();

  const pay = page.getByRole('button', { name: 'Pay $12.00 a month' });
  await page.getByLabel('Card number').fill('4000 0000 0000 0002');
  await page.getByLabel('Expiry date').fill('12/30');
  await page.getByLabel('Security code').fill('123');
  await pay.click();
  await expect(page.getByRole('alert')).toHaveText('Your card was declined. Try another card.');
  // A wrong expiry is named under its field.
  await page.getByLabel('Card number').fill('4242 4242 4242 4242');
  await page.getByLabel('Expiry date').fill('12/2030x');
  await pay.click();
  await expect(page.locator('#exp-error')).toHaveText('Enter the expiry date as MM/YY, such as 12/30.');
  await page.getByLabel('Expiry date').fill('12/30');
  await pay.click();
  await expect(page.getByRole('status').filter({ hasText: 'Paid' })).toHaveText(
    "Paid: you're on Pro, and its credits are ready.",
  );

  await page.getByRole('link', { name: 'Start editing' }).click();
  await expect(page.getByTestId('credits')).toHaveText('3000 credits left');
  await page.goto('/me#subscription');
  await expect(card.getByTestId('plan-name')).toHaveText('Pro');
  await expect(card.getByTestId('credits-left')).toHaveText('3000 of 3000');
  // On a paid plan the other one is a switch (its proration asked first: plans.spec.ts), not a checkout.
  await expect(card.getByRole('button', { name: /^(Choose|Switch to) / })).toHaveText(['Switch to Studio']);

  // The billing history has the payment; its invoice opens as a page of its own.
  const rows = card.locator('table.invoices tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Pro');
  await expect(rows.first()).toContainText('$12.00');
  await expect(rows.first()).toContainText('Paid');
  const [invoice] = await Promise.all([page.waitForEvent('popup'), rows.first().getByRole('link', { name: 'View' }).click()]);
  await expect(invoice.getByRole('heading', { name: 'Invoice' })).toBeVisible();
  await expect(invoice.locator('tbody')).toContainText('Pro plan');
  await expect(invoice.locator('tfoot')).toContainText('USD 12.00');
  await invoice.close();

  // Cancel at the end of the period, then keep it after all.
  await card.getByRole('button', { name: 'Cancel Pro' }).click();
  await page.getByRole('dialog').getByRole('button', { name: /^End Pro on \d{4}-\d{2}-\d{2}$/ }).click();
  await expect(card.getByTestId('plan-name')).toHaveText(/^Pro\s*· ends on \d{4}-\d{2}-\d{2}$/);
  await expect(card.getByTestId('renews')).toContainText('Free from then on');
  await card.getByRole('button', { name: 'Keep Pro' }).click();
  await expect(card.getByTestId('plan-name')).toHaveText('Pro');
  await expect(card.getByRole('button', { name: 'Cancel Pro' })).toBeVisible();
});
