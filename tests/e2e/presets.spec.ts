// My presets: a result's steps saved from its menu under a name and an icon, listed on AI Tools, run again
// on another photo from AI Tools and from the composer's settings (the same steps, a grey square), and
// deleted.
import { test, expect } from './fixtures';
import { attach, axe, pictureIsGray, redBlueJpeg, signUp } from './helpers';

test('a saved preset re-applied on another photo gives the same steps', async ({ page }) => {
  test.setTimeout(120_000);
  await signUp(page, 'presetmaker');
  await attach(page, { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: await redBlueJpeg(page) });
  const box = page.getByLabel('Instruction', { exact: true });
  await box.fill('make it black and white and crop it square');
  await box.press('Enter');
  await expect(page.locator('img.result')).toBeVisible({ timeout: 60_000 });
  // "steps · engine · time": the steps are what a preset keeps.
  const stepsOf = async () => (await page.locator('.msg-assistant .generation').last().textContent())!.split(' · ')[0];
  const steps = await stepsOf();
  expect(steps).toContain('black and white');

  const last = page.locator('.msg-assistant').last();
  await last.getByRole('button', { name: 'More for this version' }).click();
  await last.getByRole('button', { name: 'Save as a preset…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Save as a preset' });
  await expect(dialog).toBeVisible();
  // Named after its steps to start with.
  await expect(dialog.getByLabel('Name')).toHaveValue(/black and white/);
  expect(await axe(page)).toEqual([]);
  await dialog.getByLabel('Name').fill('');
  await dialog.getByRole('button', { name: 'Save the preset' }).click();
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Name').fill('Mono square');
  await dialog.locator('.preset-icon-choice', { hasText: 'Moon' }).click();
  await expect(dialog.getByRole('radio', { name: 'Moon' })).toBeChecked();
  await dialog.getByRole('button', { name: 'Save the preset' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('Saved “Mono square” to My presets')).toBeVisible();

  // On AI Tools, with its steps; used on a new photo, the editor opens and runs them.
  await page.goto('/tools');
  const card = page.locator('.preset-card').filter({ hasText: 'Mono square' });
  await expect(card).toContainText('black and white');
  expect(await axe(page)).toEqual([]);
  await card.locator('input[type=file]').setInputFiles({ name: 'wide.jpg', mimeType: 'image/jpeg', buffer: await redBlueJpeg(page, 300, 100) });
  await expect(page).toHaveURL(/\/image\/[0-9a-f]{32}$/, { timeout: 30_000 });
  await expect(page.locator('.msg-user').filter({ hasText: 'Mono square' })).toBeVisible();
  const result = page.locator('img.result').last();
  await expect(result).toBeVisible({ timeout: 60_000 });
  expect(await stepsOf()).toBe(steps);
  const picture = await pictureIsGray(result);
  expect([picture.width, picture.height, picture.gray]).toEqual([100, 100, true]);

  // From the composer: the settings list it; chosen, it shows above the box and runs without words.
  await page.goto('/image');
  await attach(page, { name: 'tall.jpg', mimeType: 'image/jpeg', buffer: await redBlueJpeg(page, 120, 240) });
  await page.getByRole('button', { name: 'Settings' }).click();
  const mine = page.getByRole('group', { name: 'My presets' });
  await expect(mine).toBeVisible();
  expect(await axe(page)).toEqual([]);
  await mine.getByRole('button', { name: 'Mono square' }).click();
  await expect(mine).toBeHidden();
  await expect(page.locator('.preset-chip')).toHaveText(/Preset: Mono square/);
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page).toHaveURL(/\/image\/[0-9a-f]{32}$/, { timeout: 30_000 });
  await expect(page.locator('.preset-chip')).toHaveCount(0);
  const fromComposer = page.locator('img.result').last();
  await expect(fromComposer).toBeVisible({ timeout: 60_000 });
  expect(await stepsOf()).toBe(steps);
  const square = await pictureIsGray(fromComposer);
  expect([square.width, square.height, square.gray]).toEqual([120, 120, true]);

  // From Home: the presets are offered there; one tapped runs on the photo added to the box.
  await page.goto('/');
  const yours = page.getByRole('list', { name: 'Your presets' });
  await yours.getByRole('button', { name: 'Mono square' }).click();
  await expect(page.locator('.start-files')).toContainText('Preset: Mono square');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText('Add a photo for the preset to work on.');
  await page.locator('.start-box input[type=file]').setInputFiles({ name: 'home.jpg', mimeType: 'image/jpeg', buffer: await redBlueJpeg(page, 200, 80) });
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(page).toHaveURL(/\/image\/[0-9a-f]{32}$/, { timeout: 30_000 });
  const fromHome = page.locator('img.result').last();
  await expect(fromHome).toBeVisible({ timeout: 60_000 });
  expect(await stepsOf()).toBe(steps);
  const homeSquare = await pictureIsGray(fromHome);
  expect([homeSquare.width, homeSquare.height, homeSquare.gray]).toEqual([80, 80, true]);

  // Deleted from AI Tools: the list says there are none.
  await page.goto('/tools');
  await page.getByRole('button', { name: 'Delete the preset “Mono square”' }).click();
  await expect(page.getByText('No presets yet.')).toBeVisible();
});
