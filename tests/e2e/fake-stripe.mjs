// A stand-in for Stripe for the browser tests (stripe.spec.ts): the API calls ViNano makes — each checked for
// the secret key, the pinned Stripe-Version, a form-encoded body and an Idempotency-Key, as Stripe would — and
// the two pages of Stripe's a person sees: the hosted Checkout page (paying sends the signed events Stripe
// would, then returns to ViNano) and the Customer Portal. GET /calls lists what it received.
// Environment: FAKE_STRIPE_PORT, VINANO_WEBHOOK (ViNano's webhook address), STRIPE_WEBHOOK_SECRET,
// STRIPE_SECRET_KEY, STRIPE_PRICE_PRO, STRIPE_PRICE_STUDIO.
import { createServer } from 'node:http';
import { createHmac } from 'node:crypto';

const port = Number(process.env.FAKE_STRIPE_PORT);
const base = `http://127.0.0.1:${port}`;
const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`fake-stripe needs ${name}`);
  return value;
};
const [secretKey, webhookSecret, webhook] = [env('STRIPE_SECRET_KEY'), env('STRIPE_WEBHOOK_SECRET'), env('VINANO_WEBHOOK')];
const prices = { [env('STRIPE_PRICE_PRO')]: { plan: 'pro', amount: 1200 }, [env('STRIPE_PRICE_STUDIO')]: { plan: 'studio', amount: 3600 } };

const calls = [];
const answered = new Map();
const sessions = new Map();
let next = 0;
const id = (prefix) => `${prefix}_e2e${String(++next).padStart(4, '0')}`;

function send(res, status, body, type = 'application/json') {
  res.writeHead(status, { 'content-type': type });
  res.end(type === 'application/json' ? JSON.stringify(body) : body);
}

const refuse = (message, status = 400) => [status, { error: { type: 'invalid_request_error', message } }];

/** A signed event to ViNano's webhook, as Stripe signs them. */
async function deliver(type, object) {
  const created = Math.floor(Date.now() / 1000);
  const body = JSON.stringify({ id: id('evt'), object: 'event', api_version: '2024-06-20', created, type, data: { object } });
  const v1 = createHmac('sha256', webhookSecret).update(`${created}.${body}`).digest('hex');
  const r = await fetch(webhook, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': `t=${created},v1=${v1}` }, body });
  if (!r.ok) throw new Error(`ViNano refused ${type}: ${r.status} ${await r.text()}`);
}

/** The API: [status, body] for a checked call. */
function api(method, path, fields) {
  if (method === 'POST' && path === '/v1/customers') {
    if (!fields.email || !fields['metadata[user_id]']) return refuse('Missing required param: email.');
    return [200, { id: id('cus'), object: 'customer', email: fields.email }];
  }
  if (method === 'POST' && path === '/v1/checkout/sessions') {
    for (const f of ['mode', 'customer', 'client_reference_id', 'line_items[0][price]', 'success_url', 'cancel_url']) {
      if (!fields[f]) return refuse(`Missing required param: ${f}.`);
    }
    const price = prices[fields['line_items[0][price]']];
    if (!price || fields.mode !== 'subscription') return refuse('No such price');
    const session = { id: id('cs'), ...fields, price: fields['line_items[0][price]'], ...price };
    sessions.set(session.id, session);
    return [200, { id: session.id, object: 'checkout.session', url: `${base}/c/pay/${session.id}` }];
  }
  if (method === 'POST' && path === '/v1/billing_portal/sessions') {
    if (!fields.customer || !fields.return_url) return refuse('Missing required param: customer.');
    const portal = id('bps');
    sessions.set(portal, { return_url: fields.return_url });
    return [200, { id: portal, object: 'billing_portal.session', url: `${base}/p/session/${portal}` }];
  }
  const sub = path.match(/^\/v1\/subscriptions\/(sub_\w+)$/);
  if (sub) {
    const price = fields['items[0][price]'] ?? Object.keys(prices)[0];
    return [200, { id: sub[1], object: 'subscription', items: { data: [{ id: 'si_e2e_item', price: { id: price } }] } }];
  }
  if (method === 'GET' && path === '/v1/invoices/upcoming') return [200, { object: 'invoice', amount_due: 2400 }];
  if (method === 'DELETE' && path.startsWith('/v1/customers/')) return [200, { id: path.split('/').pop(), deleted: true }];
  return refuse(`Unrecognized request URL (${method}: ${path})`, 404);
}

const page = (title, body) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title>
<style>body{font:16px system-ui;margin:2rem auto;max-width:26rem;padding:0 1rem}button{font:inherit;padding:.6rem 1.2rem}</style>
</head><body><p><b>Stripe</b> (test double for ViNano's tests)</p>${body}</body></html>`;

/** The pages a person sees at Stripe. */
async function hosted(req, res, url) {
  const pay = url.pathname.match(/^\/c\/pay\/(cs_\w+)$/);
  const session = pay && sessions.get(pay[1]);
  if (session && req.method === 'GET') {
    const amount = `$${(session.amount / 100).toFixed(2)}`;
    return send(res, 200, page('Pay', `<h1>Subscribe to ViNano ${session.plan}</h1><p>${amount} a month</p>
      <form method="post"><button type="submit">Subscribe</button></form><p><a href="${session.cancel_url}">Back</a></p>`), 'text/html');
  }
  if (session && req.method === 'POST') {
    const subscription = id('sub');
    const invoice = id('in');
    const now = Math.floor(Date.now() / 1000);
    await deliver('checkout.session.completed', {
      id: session.id, object: 'checkout.session', client_reference_id: session.client_reference_id, customer: session.customer,
      subscription, invoice, metadata: { plan: session.plan }, mode: 'subscription', payment_status: 'paid', status: 'complete',
    });
    await deliver('invoice.paid', {
      id: invoice, object: 'invoice', customer: session.customer, subscription, billing_reason: 'subscription_create',
      amount_due: session.amount, amount_paid: session.amount, status: 'paid', next_payment_attempt: null,
      lines: { data: [{ price: { id: session.price }, period: { start: now, end: now + 30 * 86400 }, proration: false, subscription_item: 'si_e2e_item' }] },
    });
    res.writeHead(303, { location: session.success_url });
    return res.end();
  }
  const portal = url.pathname.match(/^\/p\/session\/(bps_\w+)$/);
  if (portal && sessions.get(portal[1])) {
    return send(res, 200, page('Billing', `<h1>Your billing</h1><p>Cards and billing details would be here.</p>
      <p><a href="${sessions.get(portal[1]).return_url}">Return to ViNano</a></p>`), 'text/html');
  }
  send(res, 404, page('Not found', '<h1>Not found</h1>'), 'text/html');
}

createServer(async (req, res) => {
  const url = new URL(req.url, base);
  try {
    if (url.pathname === '/health') return send(res, 200, { ok: true });
    if (url.pathname === '/calls') return send(res, 200, calls);
    if (!url.pathname.startsWith('/v1/')) return await hosted(req, res, url);
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const raw = req.method === 'GET' ? url.search.slice(1) : Buffer.concat(chunks).toString();
    const fields = Object.fromEntries(new URLSearchParams(raw));
    const key = req.headers['idempotency-key'];
    calls.push({ method: req.method, path: url.pathname, fields, key: key ?? null });
    if (req.headers.authorization !== `Bearer ${secretKey}`) return send(res, 401, refuse('Invalid API Key provided')[1]);
    if (req.headers['stripe-version'] !== '2024-06-20') return send(res, 400, refuse('an unpinned API version')[1]);
    if (req.method !== 'GET' && !key) return send(res, 400, refuse('no Idempotency-Key')[1]);
    if (req.method === 'POST' && req.headers['content-type'] !== 'application/x-www-form-urlencoded') {
      return send(res, 400, refuse('not form-encoded')[1]);
    }
    if (key && answered.has(key)) return send(res, ...answered.get(key));
    const [status, body] = api(req.method, url.pathname, fields);
    if (key) answered.set(key, [status, body]);
    send(res, status, body);
  } catch (e) {
    send(res, 500, { error: { type: 'api_error', message: String(e) } });
  }
}).listen(port, '127.0.0.1');
