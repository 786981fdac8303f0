import { expect, test, type Page } from '@playwright/test';
import { lessonQuizIds } from '../components/lesson/source';
import { watchErrors } from './helpers';

/** Opens a page and waits until the header's search box is live (it carries data-hydrated once React runs it). */
async function openWithSearch(page: Page, url: string) {
  await page.goto(url);
  await expect(page.locator('.search[data-hydrated="true"]')).toHaveCount(1);
}

test('the glossary links to the lesson section that teaches a term, and a lesson’s term links back', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/glossary/');
  const nf4 = page.getByTestId('glossary-term-nf4');
  await expect(nf4).toContainText('NormalFloat');
  await nf4.getByTestId('glossary-lesson-nf4').click();
  await expect(page).toHaveURL(/\/lessons\/four-bit\/#why-a-normal-float$/);
  await expect(page.locator('h2#why-a-normal-float')).toBeInViewport();

  // The lesson's first mention of NF4 is a link to its glossary entry, with the definition as a tooltip.
  const term = page.locator('a.term-link[data-term="nf4"]');
  await expect(term).toHaveCount(1);
  await term.hover();
  await expect(page.locator('#term-tip-nf4')).toBeVisible();
  await expect(page.locator('#term-tip-nf4')).toContainText('quantiles of the normal distribution');
  await term.click();
  await expect(page).toHaveURL(/\/glossary\/#nf4$/);
  await expect(page.getByTestId('glossary-term-nf4')).toBeInViewport();
  expect(errors).toEqual([]);
});

test('search: "/" focuses the box, arrows and Enter open a heading; a quiz question is found by its words', async ({ page }) => {
  const errors = watchErrors(page);
  await openWithSearch(page, '/');
  await page.keyboard.press('/');
  const input = page.getByTestId('search-input');
  await expect(input).toBeFocused();
  await page.keyboard.type('kv cache');
  const options = page.getByTestId('search-results').getByRole('option');
  await expect(options.first()).toContainText('KV cache');
  await expect(options.first()).toHaveAttribute('data-kind', 'term');
  await expect(options.first()).toHaveAttribute('aria-selected', 'true');
  await expect(options.nth(1)).toHaveAttribute('data-kind', 'section');
  await page.keyboard.press('ArrowDown');
  await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/lessons\/serving\/#the-kv-cache$/);
  await expect(page.locator('h2#the-kv-cache')).toBeInViewport();

  // A quiz prompt, found from another page, leads to its question in the lesson's quiz.
  await expect(page.locator('.search[data-hydrated="true"]')).toHaveCount(1);
  await input.click();
  await input.fill('7B model FP16 GB');
  await expect(options.first()).toHaveAttribute('data-kind', 'question');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/lessons\/why-quantize\/#quiz-seven-b-fp16$/);
  await expect(page.getByTestId('quiz-question-seven-b-fp16')).toBeInViewport();

  // Nothing found says so.
  await input.fill('zzqx');
  await expect(page.getByTestId('search-results')).toContainText('Nothing found');
  expect(errors).toEqual([]);
});

test('class mode hides answers until revealed and saves nothing; the review page shows the same answers', async ({ page }) => {
  const errors = watchErrors(page);
  const slug = 'why-quantize';
  await page.goto(`/lessons/${slug}/?class=1`);
  const quiz = page.getByTestId('quiz');
  await expect(quiz).toHaveAttribute('data-mode', 'class');
  await expect(quiz).toHaveAttribute('data-hydrated', 'true');
  await expect(page.getByTestId('quiz-class-mode')).toBeChecked();

  const question = page.getByTestId('quiz-question-reduces');
  await question.getByRole('radio').first().check();
  await expect(page.getByTestId('quiz-solution-reduces')).toHaveCount(0);
  await expect(question.locator('[data-mark]')).toHaveCount(0);
  await page.getByTestId('quiz-class-reveal-reduces').click();
  await expect(page.getByTestId('quiz-solution-reduces')).toBeVisible();
  await expect(question.locator('[data-mark="answer"]')).toHaveCount(1);
  await expect(question.locator('[data-mark="wrong"]')).toHaveCount(0);

  await page.getByTestId('quiz-class-reveal-seven-b-fp16').click();
  const shown = (await page.getByTestId('quiz-solution-seven-b-fp16').locator('strong').first().textContent()) ?? '';
  expect(shown).toMatch(/GB$/);
  expect(await page.evaluate((s) => localStorage.getItem(`lowbit:quiz:${s}`), slug)).toBeNull();

  // Switching class mode off gives the ordinary quiz back, with no answer shown.
  await page.getByTestId('quiz-class-mode').uncheck();
  await expect(quiz).toHaveAttribute('data-mode', 'learn');
  await expect(page).not.toHaveURL(/class=1/);
  await expect(page.getByTestId('quiz-solution-reduces')).toHaveCount(0);

  await page.getByTestId('quiz-review-link').click();
  await expect(page).toHaveURL(new RegExp(`/lessons/${slug}/review/$`));
  const review = page.getByTestId('quiz-review');
  await expect(review.locator('> li')).toHaveCount(lessonQuizIds(slug).length);
  await expect(page.getByTestId('review-answer-seven-b-fp16')).toHaveText(shown);
  await expect(page.getByTestId('review-answer-reduces')).toHaveCount(1);
  expect(errors).toEqual([]);
});
