// Me → Your data → Download a copy: ask for an export, wait while it is prepared, see the app-wide notice
// and the email, enter the password again, download the ZIP, and open its index.html offline.
import { test, expect } from './fixtures';
import { attach, linkFromMail, redBlueJpeg, signUp } from './helpers';
import AdmZip from 'adm-zip';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

test('request an export, wait, download it and open index.html offline', async ({ page }) => {
  await signUp(page, 'porter');
  await attach(page, { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: await redBlueJpeg(page) });
  await page.getByLabel('Instruction', { exact: true }).fill('flip it');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.locator('img.result')).toHaveCount(1);

  await page.goto('/me');
  await page.getByRole('button', { name: 'Prepare my copy' }).click();
  // Prepared in the background: the person goes on editing, and the app tells them wherever they are.
  await page.getByRole('link', { name: 'AI Image' }).first().click();
  await expect(page.getByText(/^Your data export is ready\. Download it before/)).toBeVisible({ timeout: 30_000 });
  await page.getByRole('link', { name: 'Go to download' }).click();
  await expect(page).toHaveURL(/\/me\/data$/);
  await expect(page.getByText(/^Your copy is ready: .+, \d+ files\./)).toBeVisible();
  await expect(page.locator('table.requests tbody tr').first()).toContainText('Export: a copy of all your data');
  await expect(page.locator('table.requests tbody tr').first()).toContainText('Completed');
  await expect(page.getByText(/^Your data export is ready\. Download it before/)).toBeVisible();

  // The email points at the page (not the file); the page asks for the password before the download when
  // this session hasn't entered it recently. The server decides that; here its answer is aged, so the form
  // shows.
  const link = await linkFromMail('porter@example.com', '/me/data', 1, false);
  await page.route('**/api/v1/me/exports', async (route) => {
    if (route.request().method() !== 'GET') return route.continue();
    const response = await route.fetch();
    const body = await response.json();
    delete body.reauth_until;
    await route.fulfill({ response, json: body });
  });
  await page.goto(link);
  await page.getByRole('button', { name: 'Download ZIP' }).click();
  const password = page.getByLabel('Your password, to download');
  await expect(page.getByText('For your security, enter your password to download your data.')).toBeVisible();
  await expect(password).toBeFocused();
  await password.fill('not my password');
  await page.getByRole('button', { name: 'Confirm and download' }).click();
  await expect(page.locator('#password-error')).toHaveText("That password isn't right.");
  await password.fill('a long enough password');
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Confirm and download' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^vinano-data-\d{4}-\d{2}-\d{2}\.zip$/);
  const dir = mkdtempSync(join(tmpdir(), 'vinano-export-'));
  const zipPath = join(dir, 'export.zip');
  await download.saveAs(zipPath);
  // Downloaded: the app-wide notice goes.
  await expect(page.locator('.export-banner')).toHaveCount(0);

  const zip = new AdmZip(zipPath);
  const names = zip.getEntries().map((e) => e.entryName);
  expect(names).toContain('index.html');
  expect(names).toContain('data/users.json');
  expect(names).toContain('data/consents.json');
  expect(names.filter((n) => n.startsWith('images/'))).toHaveLength(2);
  const users = JSON.parse(zip.readAsText('data/users.json'));
  expect(users[0].email).toBe('porter@example.com');
  zip.extractAllTo(join(dir, 'unpacked'));

  // Offline: a file:// page with the person, the conversation and both images showing.
  const offline = await page.context().newPage();
  await offline.goto(pathToFileURL(join(dir, 'unpacked', 'index.html')).href);
  await expect(offline.getByRole('heading', { name: 'Your ViNano data', level: 1 })).toBeVisible();
  await expect(offline.getByText('porter@example.com').first()).toBeVisible();
  await expect(offline.getByText('flip it').first()).toBeVisible();
  await expect(offline.getByRole('heading', { name: 'Images (2)' })).toBeVisible();
  const images = offline.locator('#images img');
  await expect(images).toHaveCount(2);
  for (const img of await images.all()) {
    await img.scrollIntoViewIfNeeded();
    await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBe(120);
  }
  await offline.close();
});
