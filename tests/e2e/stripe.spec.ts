// Billing through Stripe (VINANO_BILLING_PROCESSOR=stripe, the server on port + 6), as a person meets it, with
// the stand-in for Stripe's pages and API on port + 7 (fake-stripe.mjs): Choose Pro goes to Stripe's Checkout
// page and comes back to Me → Subscription, where the plan starts once Stripe's signed events have arrived;
// no card form is shown anywhere — cards are managed on Stripe's Customer Portal.
import { test, expect } from './fixtures';
import { signUp } from './helpers';

const base = Number(process.env.VINANO_E2E_PORT ?? 18080);
const stripe = `http://127.0.0.1:${base + 7}`;
test.use({ baseURL: `http://127.0.0.1:${base + 6}` });

type Call = { method: string; path: string; fields: Record<string, string>; key: string | null };

test('Free → Pro through Stripe Checkout, and the cards at Stripe', async ({ page, request }) => {
  const name = `stripe${Date.now()}`;
  await signUp(page, name);
  await page.goto('/me#subscription');
  const card = page.locator('#subscription');
  await expect(card.getByText('Your cards are kept by Stripe, never by ViNano.', { exact: false })).toBeVisible();
  await expect(card.getByRole('button', { name: 'Add a card' })).toHaveCount(0);

  await card.getByRole('button', { name: 'Choose Pro' }).click();
  await expect(page).toHaveURL(new RegExp(`^${stripe}/c/pay/cs_`));
  await expect(page.getByRole('heading', { name: 'Subscribe to ViNano pro' })).toBeVisible();
  await expect(page.getByText('$12.00 a month')).toBeVisible();
  await page.getByRole('button', { name: 'Subscribe' }).click();

  // Back at ViNano: the plan has started with its credits.
  await expect(page).toHaveURL(/\/me\?checkout=done#subscription$/);
  await expect(card.getByTestId('plan-name')).toHaveText('Pro');
  await expect(card.getByTestId('credits-left')).toHaveText('3000 of 3000');
  await expect(card.getByRole('button', { name: 'Cancel Pro' })).toBeVisible();
  const invoices = card.locator('table.invoices tbody tr');
  await expect(invoices).toHaveCount(1);
  await expect(invoices.first()).toContainText('$12.00');

  // What ViNano asked of Stripe: a customer for this account, then a subscription checkout for Pro.
  const calls: Call[] = await (await request.get(`${stripe}/calls`)).json();
  const customer = calls.find((c) => c.path === '/v1/customers' && c.fields.email === `${name}@example.com`);
  expect(customer?.key).toBeTruthy();
  const checkout = calls.find((c) => c.path === '/v1/checkout/sessions' && c.fields.customer !== undefined && c.fields.client_reference_id === customer?.fields['metadata[user_id]']);
  expect(checkout?.fields.mode).toBe('subscription');
  expect(checkout?.fields['line_items[0][price]']).toBe('price_e2e_pro');

  // Cards and billing details: Stripe's portal, and back.
  await card.getByRole('button', { name: 'Manage cards at Stripe' }).click();
  await expect(page).toHaveURL(new RegExp(`^${stripe}/p/session/bps_`));
  await page.getByRole('link', { name: 'Return to ViNano' }).click();
  await expect(card.getByTestId('plan-name')).toHaveText('Pro');
});
