// Instructions to tap and keys to press: the examples of an empty conversation, the next edits after a
// result, and the editor's shortcuts (/ ← → ?); a screen reader hears each new reply once.
import { test, expect } from './fixtures';
import { signUp } from './helpers';

test('examples and next edits fill the composer; / ← → ? work from the keyboard', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await signUp(page, 'shortcuts');
  const instruction = page.getByLabel('Instruction', { exact: true });

  // Three examples; a tap puts the words in the box, ready to send.
  const examples = page.getByRole('list', { name: 'Examples to try' });
  await expect(examples.getByRole('button')).toHaveCount(3);
  await examples.getByRole('button', { name: 'A poster for a summer sale' }).click();
  await expect(instruction).toHaveValue('A poster for a summer sale');
  await expect(instruction).toBeFocused();
  await instruction.press('Enter');
  await expect(page.locator('img.result')).toHaveCount(1);

  // Next edits: a poster's own first (its title and background, drawn again), then ones it hasn't had; one
  // of them, sent.
  const next = page.getByRole('list', { name: 'Next edits to try' });
  await expect(next.getByRole('button')).toHaveText(['Make the title yellow', 'Make the background black', 'Make it a little brighter']);
  await next.getByRole('button', { name: 'Make it a little brighter' }).click();
  await expect(instruction).toHaveValue('Make it a little brighter');
  await instruction.press('Enter');
  await expect(page.locator('img.result')).toHaveCount(2);
  // The brightened poster is no longer only words on a gradient: the background's chips (the server has the
  // model) come first, and brighter is not offered again.
  await expect(next.getByRole('button')).toHaveText(['Remove the background', 'Blur the background', 'Crop it square']);
  // The new reply is announced on its own.
  await expect(page.locator('p.visually-hidden[role="status"]')).toHaveText('Done: brightness +10%.');

  // Keys do nothing while typing; elsewhere / goes to the box, ← → choose the target.
  await instruction.press('ArrowLeft');
  await expect(page.getByText('Version 2 of 2 is the next edit\'s target')).toBeVisible();
  await instruction.evaluate((el) => (el as HTMLElement).blur());
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByText('Version 1 of 2 is the next edit\'s target')).toBeVisible();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByText('Version 2 of 2 is the next edit\'s target')).toBeVisible();
  await page.keyboard.press('/');
  await expect(instruction).toBeFocused();
  await instruction.evaluate((el) => (el as HTMLElement).blur());
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toContainText('Write an instruction');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
});
