import { expect, test } from '@playwright/test';
import { presetArchitecture, totalParameters } from '../lib/lora/architectures';
import { formatBinaryBytes, formatBytes, kvCacheBytes, kvCacheBytesPerToken, weightBytes } from '../lib/memory';
import { openPage, runInt8Check, watchErrors } from './helpers';

test.describe('Why quantize?', () => {
  test.beforeEach(async ({ page }) => {
    await openPage(page, '/lessons/why-quantize/');
  });

  test('quotes the seed figures computed by lib/memory', async ({ page }) => {
    const body = page.locator('.lesson-body');
    await expect(body).toContainText('a 65-billion-parameter model takes 260 GB');
    await expect(body).toContainText('the same model takes 32.5 GB');
    await expect(body).toContainText('needs 140 GB; in 4 bits, 35 GB');
    await expect(body).toContainText('costs 4.127 bits a weight');
  });

  test('the memory widget: a typed size, the formats, and today\'s GPU columns', async ({ page }) => {
    const w = page.getByTestId('model-memory');
    // The lesson opens on Llama-2-7B; typing a size switches to weights only.
    await expect(w.getByTestId('model-preset')).toHaveValue('llama-2-7b');
    await w.getByTestId('model-size').fill('70B');
    await expect(w.getByTestId('bytes-fp32')).toHaveText(formatBytes(weightBytes(70e9, 'fp32')));
    await expect(w.getByTestId('kv-custom-note')).toBeVisible(); // a bare size has no KV cache shape
    await expect(w.locator('thead th')).toContainText(['24 GB', '32 GB', '48 GB', '80 GB', '96 GB', '141 GB', '192 GB']);
    await w.getByTestId('model-size').fill('13B');
    await expect(w.getByTestId('bytes-fp16')).toHaveText('26 GB');
    await expect(w.locator('tr[data-format="fp16"] td[data-gib="24"]')).toHaveAttribute('data-fits', 'false'); // 26 GB > 24 GiB
    await expect(w.locator('tr[data-format="fp16"] td[data-gib="32"]')).toHaveAttribute('data-fits', 'true');
    await w.getByTestId('model-size').fill('banana');
    await expect(w.getByRole('alert')).toContainText('is not a model size');
    await expect(w.getByTestId('bytes-fp16')).toHaveText('26 GB'); // keeps the last good size
    await w.getByRole('checkbox', { name: 'INT8' }).uncheck();
    await expect(w.locator('tr[data-format="int8"]')).toHaveCount(0);
    await expect(w.locator('[data-bar]')).toHaveCount(4);
  });

  test('the memory widget adds the KV cache: Llama-2-7B at 4k × 16 in FP16 is 0.5 MiB a token, 34 GB against 13.5 GB of weights', async ({ page }) => {
    const errors = watchErrors(page);
    const w = page.getByTestId('model-memory');
    const llama2 = presetArchitecture('llama-2-7b');
    const weights = weightBytes(totalParameters(llama2), 'fp16');
    await w.getByTestId('model-preset').selectOption('llama-2-7b');
    await expect(w.getByTestId('memory-model')).toContainText('6,738,415,616');
    await expect(w.getByTestId('bytes-fp16')).toHaveText(formatBytes(weights));
    await expect(w.getByTestId('kv-per-token')).toHaveText(formatBinaryBytes(kvCacheBytesPerToken(llama2, 'fp16')));
    await expect(w.getByTestId('kv-per-token')).toHaveText('512 KiB');
    await w.getByTestId('kv-batch').fill('16');
    const kv = kvCacheBytes(llama2, 'fp16', 4096, 16);
    await expect(w.getByTestId('kv-total')).toHaveText(formatBytes(kv));
    await expect(w.getByTestId('kv-total')).toHaveText('34.4 GB');
    await expect(w.getByTestId('weights-fp16')).toHaveText('13.5 GB');
    await expect(w.getByTestId('total-fp16')).toHaveText(formatBytes(weights + kv));
    // 47.8 GB: over a 32 GB card, inside a 48 GiB one.
    await expect(w.locator('tr[data-format="fp16"] td[data-gib="32"]')).toHaveAttribute('data-fits', 'false');
    await expect(w.locator('tr[data-format="fp16"] td[data-gib="48"]')).toHaveAttribute('data-fits', 'true');
    // The state is in the URL and survives a reload.
    await expect.poll(() => new URL(page.url()).searchParams.get('memory.batch')).toBe('16');
    await page.reload();
    await expect(page.getByTestId('model-memory').getByTestId('kv-total')).toHaveText(formatBytes(kv));
    // Grouped-query attention: Llama-3-8B keeps 8 KV heads for 32 query heads, a quarter of the cache.
    await page.getByTestId('model-memory').getByTestId('model-preset').selectOption('llama-3-8b');
    const llama3 = presetArchitecture('llama-3-8b');
    await expect(page.getByTestId('kv-formula')).toContainText('8 KV heads (of 32 query heads)');
    await expect(page.getByTestId('kv-total')).toHaveText(formatBytes(kvCacheBytes(llama3, 'fp16', 4096, 16)));
    await page.getByTestId('kv-dtype').selectOption('fp8');
    await expect(page.getByTestId('kv-per-token')).toHaveText(formatBinaryBytes(kvCacheBytesPerToken(llama3, 'fp8')));
    // Out-of-range input is named and the last good value kept.
    await page.getByTestId('kv-batch').fill('5000');
    await expect(page.getByTestId('model-memory').getByRole('alert')).toContainText('from 1 to 1,024');
    await expect(page.getByTestId('kv-total')).toHaveText(formatBytes(kvCacheBytes(llama3, 'fp8', 4096, 16)));
    expect(errors).toEqual([]);
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

  test('a wrong answer shows the answer only when asked; a right answer after it counts as correct on retry', async ({ page }) => {
    const quiz = page.getByTestId('quiz');
    const numeric = quiz.getByTestId('quiz-question-seven-b-fp16');
    const numericFeedback = quiz.getByTestId('quiz-feedback-seven-b-fp16');
    await numeric.getByRole('textbox').fill('20 GB');
    await numeric.getByRole('button', { name: 'Check' }).click();
    await expect(numericFeedback).toContainText('Not quite');
    await expect(numericFeedback).not.toContainText('7 × 10⁹ parameters');
    await expect(numericFeedback).not.toContainText('14 GB');
    // The unit printed beside the box may be typed, and a decimal comma is read as a decimal point.
    await numeric.getByRole('textbox').fill('13,98 GB');
    await numeric.getByRole('button', { name: 'Check' }).click();
    await expect(numericFeedback).toContainText('Correct on retry');
    await expect(numericFeedback).toContainText('7 × 10⁹ parameters');
    await expect(quiz.getByTestId('quiz-score')).toHaveText('0 of 4 correct · 1 correct on retry');

    const choice = quiz.getByTestId('quiz-question-stage');
    const choiceFeedback = quiz.getByTestId('quiz-feedback-stage');
    await choice.getByLabel('Pretraining from scratch').check();
    await choice.getByRole('button', { name: 'Check' }).click();
    await expect(choiceFeedback).toContainText('Not quite');
    await expect(choiceFeedback).not.toContainText('Post-training quantization');
    await quiz.getByTestId('quiz-reveal-stage').click();
    await expect(quiz.getByTestId('quiz-solution-stage')).toContainText('After training, to deploy the model for inference');
    await expect(choiceFeedback).toContainText('Post-training quantization');
    await expect(choiceFeedback).toBeFocused();
    await expect(quiz.getByTestId('quiz-reveal-stage')).toHaveCount(0);
    // Right after seeing the answer: marked right, but the score keeps the first answer.
    await choice.getByLabel('After training, to deploy the model for inference').check();
    await choice.getByRole('button', { name: 'Check' }).click();
    await expect(choiceFeedback).toContainText('the score keeps your first answer');
    await expect(quiz.getByTestId('quiz-score')).toHaveText('0 of 4 correct · 1 correct on retry');

    await page.reload();
    await expect(page.getByTestId('quiz-score')).toHaveText('0 of 4 correct · 1 correct on retry');
    await expect(page.getByTestId('quiz-feedback-seven-b-fp16')).toContainText('Correct on retry');
    await page.goto('/');
    await expect(page.getByTestId('quiz-progress-why-quantize')).toHaveText('Quiz: 0 of 4 correct · 1 correct on retry');
  });

  test('answers stored by the earlier quiz keep their score', async ({ page }) => {
    // The record the quiz wrote before it kept attempts: { response, correct, at } per question.
    await page.evaluate(() =>
      localStorage.setItem(
        'lowbit:quiz:why-quantize',
        JSON.stringify({ version: 1, answers: { reduces: { response: 1, correct: true, at: 1 }, stage: { response: 0, correct: false, at: 2 } } }),
      ),
    );
    await page.reload();
    await expect(page.getByTestId('quiz-score')).toHaveText('1 of 4 correct');
    await expect(page.getByTestId('quiz-feedback-reduces')).toContainText('Correct');
    // That quiz showed the answer after a wrong check, so it shows again, with no retry to win.
    await expect(page.getByTestId('quiz-solution-stage')).toContainText('After training');
    await expect(page.getByTestId('quiz-reveal-stage')).toHaveCount(0);
    await page.goto('/');
    await expect(page.getByTestId('quiz-progress-why-quantize')).toHaveText('Quiz: 1 of 4 correct');
  });

  test('stored answers are graded again against the current questions; answers to removed questions do not count', async ({ page }) => {
    // "14" stored as wrong (as if the question once wanted another value), and two answers to questions the quiz no longer has.
    const first = (response: number | string, correct: boolean) => ({ response, correct, at: 1, firstCorrect: correct, tries: 1, retryCorrect: false, revealed: false });
    // Off the lesson page, so that its quiz cannot re-grade and write back before the record is planted.
    await page.goto('/');
    await page.evaluate(
      (answers) => localStorage.setItem('lowbit:quiz:why-quantize', JSON.stringify({ version: 1, answers })),
      { reduces: first(1, true), 'seven-b-fp16': first('14', false), removed: first(0, true), 'also-removed': first(2, true) },
    );
    await page.goto('/');
    await expect(page.getByTestId('quiz-progress-why-quantize')).toHaveText('Quiz: 1 of 4 correct');
    await openPage(page, '/lessons/why-quantize/');
    await expect(page.getByTestId('quiz-feedback-seven-b-fp16')).toContainText('Correct');
    await expect(page.getByTestId('quiz-regraded-seven-b-fp16')).toHaveText('This question changed since you answered; your answer was re-checked.');
    await expect(page.getByTestId('quiz-score')).toHaveText('2 of 4 correct');
    await page.goto('/');
    await expect(page.getByTestId('quiz-progress-why-quantize')).toHaveText('Quiz: 2 of 4 correct');
  });

  test('a record saved by another version is kept until the learner replaces it', async ({ page }) => {
    const newer = JSON.stringify({ version: 2, answers: { reduces: { picked: [1], at: 1 } } });
    // Off the lesson page, so that its quiz cannot re-grade and write back before the record is planted.
    await page.goto('/');
    await page.evaluate((raw) => localStorage.setItem('lowbit:quiz:why-quantize', raw), newer);
    await page.goto('/');
    await expect(page.getByTestId('quiz-progress-why-quantize')).toHaveText('Quiz: saved by another version');
    await openPage(page, '/lessons/why-quantize/');
    const quiz = page.getByTestId('quiz');
    await expect(quiz.getByTestId('quiz-foreign-notice')).toContainText('were saved by a newer version of the course and are kept as they are');
    await quiz.getByTestId('quiz-question-reduces').getByLabel('The number of bits used to store each weight').check();
    await quiz.getByTestId('quiz-question-reduces').getByRole('button', { name: 'Check' }).click();
    await expect(quiz.getByTestId('quiz-feedback-reduces')).toContainText('Correct');
    await expect(quiz.getByTestId('quiz-score')).toHaveText('1 of 4 correct');
    expect(await page.evaluate(() => localStorage.getItem('lowbit:quiz:why-quantize'))).toBe(newer);
    await quiz.getByTestId('quiz-replace-foreign').click();
    await expect(quiz.getByTestId('quiz-foreign-replaced')).toBeFocused();
    await expect(quiz.getByTestId('quiz-foreign-notice')).toHaveCount(0);
    await page.goto('/');
    await expect(page.getByTestId('quiz-progress-why-quantize')).toHaveText('Quiz: 1 of 4 correct');
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
