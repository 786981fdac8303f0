import { expect, test } from '@playwright/test';
import { openPage, watchErrors } from './helpers';

test.describe('Number formats lesson', () => {
  test('BF16 0.1 -> 0x3DCD, the sign bit flips by keyboard, E4M3 saturates 1000 to 448', async ({ page }) => {
    const errors = watchErrors(page);
    await openPage(page, '/lessons/number-formats/');
    const w = page.getByTestId('bit-explorer');
    await w.getByTestId('explorer-format').selectOption('bf16');
    await w.getByTestId('explorer-input').fill('0.1');
    await expect(w.getByTestId('explorer-stored')).toHaveText('0.10009765625');
    await expect(w.getByTestId('explorer-hex')).toHaveText('0x3DCD');
    await expect(w.getByTestId('explorer-formula')).toContainText('2^(123 − 127)');

    // Keyboard: focus the lowest bit, walk left to the sign bit with Home, flip it with Space.
    await w.getByTestId('explorer-bit-0').focus();
    await page.keyboard.press('Home');
    await expect(w.getByTestId('explorer-bit-15')).toBeFocused();
    await page.keyboard.press('Space');
    await expect(w.getByTestId('explorer-stored')).toHaveText('−0.10009765625');
    await expect(w.getByTestId('explorer-hex')).toHaveText('0xBDCD');

    await w.getByTestId('explorer-format').selectOption('fp8-e4m3');
    await w.getByTestId('explorer-input').fill('1000');
    await expect(w.getByTestId('explorer-stored')).toHaveText('448');
    await expect(w.getByTestId('explorer-hex')).toHaveText('0x7E');
    await expect(w.getByTestId('explorer-status')).toContainText('saturated to 448');
    expect(errors).toEqual([]);
  });

  test('the explorer names overflow, underflow, subnormals and bad input', async ({ page }) => {
    await openPage(page, '/lessons/number-formats/');
    const w = page.getByTestId('bit-explorer');
    await w.getByTestId('explorer-format').selectOption('fp16');
    await w.getByTestId('explorer-input').fill('65520');
    await expect(w.getByTestId('explorer-status')).toContainText('overflow to infinity');
    await expect(w.getByTestId('explorer-hex')).toHaveText('0x7C00');
    await w.getByTestId('explorer-input').fill('2^-25');
    await expect(w.getByTestId('explorer-status')).toContainText('underflow to zero');
    await w.getByTestId('explorer-input').fill('2^-24');
    await expect(w.getByTestId('explorer-status')).toContainText('subnormal');
    await expect(w.getByTestId('explorer-hex')).toHaveText('0x0001');
    await w.getByTestId('explorer-input').fill('1');
    await expect(w.getByTestId('explorer-gap')).toHaveText('0.000976563');
    await w.getByTestId('explorer-input').fill('twelve');
    await expect(w.getByRole('alert')).toContainText('is not a number');
    await expect(w.getByTestId('explorer-stored')).toHaveText('1'); // the last good value stays
  });

  test('prose figures are computed: FP16 max and overflow threshold, BF16 bits of 0.1, E4M3 max, the FP4 values', async ({ page }) => {
    await openPage(page, '/lessons/number-formats/');
    const body = page.locator('.lesson-body');
    // The text as the learner reads it: a glossary term's hidden tooltip is not part of it.
    await expect(body).toContainText('why FP16 stops at 65504', { useInnerText: true });
    // The overflow threshold and the BF16 bits of 0.1 come from lib/formats too.
    await expect(body).toContainText('anything from 65520 up');
    await expect(body).toContainText('whose top half is 0x3DCC');
    await expect(body).toContainText('ties to even gives 0x3DCD');
    await expect(body).toContainText('stops at 448');
    await expect(body).toContainText('codes are the numbers 0, 0.5, 1, 1.5, 2, 3, 4 and 6');
    await expect(body).toContainText('0.1 is stored as 0.10009765625');
  });

  test('one number in every format', async ({ page }) => {
    await openPage(page, '/lessons/number-formats/');
    const w = page.getByTestId('all-formats');
    await w.getByTestId('all-formats-input').fill('0.1');
    await expect(w.getByTestId('stored-bf16')).toHaveText('0.10009766');
    await expect(w.getByTestId('stored-fp8-e4m3')).toHaveText('0.1015625');
    await w.getByTestId('all-formats-input').fill('1000');
    await expect(w.locator('tr[data-format="fp8-e4m3"]')).toContainText('saturated');
    await expect(w.locator('tr[data-format="fp8-e5m2"]')).toContainText('rounded');
    await expect(w.locator('tr[data-format="fp4-e2m1"]')).toContainText('saturated');
  });
});
