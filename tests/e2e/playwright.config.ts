// End-to-end tests run the release SPA (dist/) served by the real vinano-server, in Debian's Chromium.
// `cargo xtask test` builds both first; VINANO_SERVER_BIN names the server binary it built.
import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..');
const port = Number(process.env.VINANO_E2E_PORT ?? 18080);
// Made once, in the main process; its workers inherit the variable (the specs read mail from its outbox).
const dataDir = process.env.VINANO_E2E_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'vinano-e2e-'));
process.env.VINANO_E2E_DATA_DIR = dataDir;

/** A server on `p`; the second one serves the same data under a newer privacy-policy version (policy.spec.ts),
 * the third allows one upload an hour (quotas.spec.ts), and on port + 5 (pwa.spec.ts starts and stops its
 * own on + 3 and + 4) one takes new accounts by invitation only (invite.spec.ts). On port + 6 one bills
 * through Stripe — the stand-in `fake-stripe.mjs` on port + 7 — with data of its own (stripe.spec.ts). */
function server(p: number, extra: Record<string, string>) {
  return {
    command: process.env.VINANO_SERVER_BIN ?? join(root, 'target', 'debug', 'vinano-server'),
    url: `http://127.0.0.1:${p}/`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe' as const,
    env: {
      VINANO_BIND: `127.0.0.1:${p}`,
      VINANO_DATA_DIR: dataDir,
      VINANO_DIST_DIR: join(root, 'dist'),
      // Every spec signs up a new account from 127.0.0.1: far more than the 10 an hour allowed per address.
      VINANO_RATE_LIMIT_SCALE: '100',
      // Keep the test report readable: the server's own log only for warnings and errors.
      RUST_LOG: 'vinano_server=warn',
      ...extra,
    },
  };
}

/** The Stripe settings the server on port + 6 and the stand-in share (test values, nothing real). */
const stripe = {
  VINANO_STRIPE_SECRET_KEY: 'sk_test_e2e_0123456789',
  VINANO_STRIPE_WEBHOOK_SECRET: 'whsec_e2e_0123456789',
  VINANO_STRIPE_PRICE_PRO: 'price_e2e_pro',
  VINANO_STRIPE_PRICE_STUDIO: 'price_e2e_studio',
};

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless=new',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: [
    server(port, {}),
    server(port + 1, { VINANO_POLICY_VERSION: '2099-01' }),
    server(port + 2, { VINANO_QUOTA_UPLOADS_PER_HOUR: '1', VINANO_PLAN_FREE_CREDITS: '2' }),
    server(port + 5, { VINANO_SIGNUPS: 'invite' }),
    server(port + 6, {
      VINANO_DATA_DIR: mkdtempSync(join(tmpdir(), 'vinano-e2e-stripe-')),
      VINANO_PUBLIC_URL: `http://127.0.0.1:${port + 6}`,
      VINANO_BILLING_PROCESSOR: 'stripe',
      VINANO_STRIPE_API_BASE: `http://127.0.0.1:${port + 7}`,
      ...stripe,
    }),
    {
      command: 'node fake-stripe.mjs',
      url: `http://127.0.0.1:${port + 7}/health`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: 'pipe' as const,
      env: {
        FAKE_STRIPE_PORT: String(port + 7),
        VINANO_WEBHOOK: `http://127.0.0.1:${port + 6}/api/v1/billing/webhook`,
        STRIPE_SECRET_KEY: stripe.VINANO_STRIPE_SECRET_KEY,
        STRIPE_WEBHOOK_SECRET: stripe.VINANO_STRIPE_WEBHOOK_SECRET,
        STRIPE_PRICE_PRO: stripe.VINANO_STRIPE_PRICE_PRO,
        STRIPE_PRICE_STUDIO: stripe.VINANO_STRIPE_PRICE_STUDIO,
      },
    },
  ],
});
