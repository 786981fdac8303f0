import { expect, test } from '@playwright/test';
import { runInt8Check, watchErrors } from './helpers';

test.describe('Why quantize?', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/lessons/why-quantize/');
  });

  test('quotes the seed figures computed by lib/memory', async ({ page }) => {
    const body = page.locator('.lesson-body');
    await expect(body).toContainText('a 65-billion-parameter model takes 260 GB');
    await expect(body).toContainText('the same model takes 32.5 GB');
    await expect(body).toContainText('needs 140 GB; in 4 bits, 35 GB');
    await expect(body).toContainText('costs 4.127 bits a weight');
  });

  test('the memory widget updates with the model size and formats', async ({ page }) => {
    const w = page.getByTestId('model-memory');
    await expect(w.getByTestId('bytes-fp32')).toHaveText('280 GB'); // 70B default
    await w.getByRole('button', { name: '7B', exact: true }).click();
    await expect(w.getByTestId('bytes-fp16')).toHaveText('14 GB');
    await expect(w.locator('tr[data-format="fp16"] td').nth(3)).toHaveText('✓ fits'); // 16 GB column
    await w.getByTestId('model-size').fill('13B');
    await expect(w.locator('tr[data-format="fp16"] td').nth(4)).toHaveText('✗ no'); // 26 GB > 24 GiB
    await w.getByTestId('model-size').fill('banana');
    await expect(w.getByRole('alert')).toContainText('is not a model size');
    await expect(w.getByTestId('bytes-fp16')).toHaveText('26 GB'); // keeps the last good size
    await w.getByLabel('INT8').uncheck();
    await expect(w.locator('tr[data-format="int8"]')).toHaveCount(0);
    await expect(w.locator('svg [data-bar]')).toHaveCount(4);
  });

  test('the INT8 check on WebGPU matches the CPU reference on 1M elements, with no tensor leak', async ({ page }) => {
    const errors = watchErrors(page);
    const first = await runInt8Check(page);
    expect(first.backend).toBe('WebGPU (software)');
    expect(first.elements).toBe('1,048,576');
    expect(first.maxDiff).toBe('0');
    expect(first.mismatches).toBe('0 of 1,048,576');
    const tensorsAfterFirst = await page.evaluate(() => window.lowbit?.tf.memory().numTensors);
    await runInt8Check(page);
    const tensorsAfterSecond = await page.evaluate(() => window.lowbit?.tf.memory().numTensors);
    expect(tensorsAfterFirst).toBeDefined();
    expect(tensorsAfterSecond).toBe(tensorsAfterFirst);
    expect(errors).toEqual([]);
  });

  test('a quiz answer survives a reload and shows on the course home', async ({ page }) => {
    const quiz = page.getByTestId('quiz');
    const q = quiz.getByTestId('quiz-question-reduces');
    await q.getByLabel('The number of bits used to store each weight').check();
    await q.getByRole('button', { name: /check/i }).click();
    await expect(quiz.getByTestId('quiz-feedback-reduces')).toContainText('Correct');
    const numeric = quiz.getByTestId('quiz-question-seven-b-fp16');
    await numeric.getByRole('textbox').fill('14');
    await numeric.getByRole('textbox').press('Enter');
    await expect(quiz.getByTestId('quiz-feedback-seven-b-fp16')).toContainText('Correct');
    await page.reload();
    await expect(page.getByTestId('quiz-feedback-reduces')).toContainText('Correct');
    await expect(page.getByTestId('quiz-question-reduces').getByLabel('The number of bits used to store each weight')).toBeChecked();
    await expect(page.getByTestId('quiz-score')).toContainText('2 of 4');
    await page.goto('/');
    await expect(page.getByTestId('quiz-progress-why-quantize')).toContainText('2 of 4');
  });

  test('the quiz is keyboard-operable and rejects a non-number', async ({ page }) => {
    const numeric = page.getByTestId('quiz-question-seven-b-fp16');
    await numeric.getByRole('textbox').focus();
    await page.keyboard.type('fourteen');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('quiz-feedback-seven-b-fp16')).toContainText('Type a number');
    const choice = page.getByTestId('quiz-question-resource');
    await choice.locator('input[type="radio"]').first().focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('quiz-feedback-resource')).toContainText('Correct');
  });
});
