import { expect, test } from '@playwright/test';
import { openPage } from './helpers';

// Issue 12 item 6: a failure says its cause — the file that could not be fetched, the characters
// the model does not know — instead of "Failed to fetch" or "The text has 0 tokens".
test.describe('clear causes', () => {
  test('an offline dataset list names the file', async ({ page }) => {
    await page.route('**/datasets/index.json', (route) => route.abort('internetdisconnected'));
    await openPage(page, '/lessons/qlora/');
    const w = page.getByTestId('qlora-widget');
    await w.scrollIntoViewIfNeeded();
    await expect(w.getByTestId('qlora-error')).toContainText('Could not load /datasets/index.json');
    await expect(w.getByTestId('qlora-error')).toContainText('offline');
  });

  test('pasted text of characters the model never saw says so', async ({ page }) => {
    test.setTimeout(240_000);
    await openPage(page, '/lessons/qlora/');
    const w = page.getByTestId('qlora-widget');
    await w.scrollIntoViewIfNeeded();
    await w.getByTestId('qlora-dataset').selectOption('paste');
    await w.getByTestId('qlora-paste').fill('Жизнь'.repeat(400));
    await w.getByTestId('qlora-step').click();
    await expect(w.getByTestId('qlora-error')).toContainText('none of them is one the model knows', { timeout: 180_000 });
    await expect(w.getByTestId('qlora-error')).toContainText('“Ж”');
  });
});
