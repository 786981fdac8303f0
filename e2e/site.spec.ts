import { expect, test } from '@playwright/test';
import { LESSONS } from '../content/lessons';
import { backendBadge, runInt8Check, watchErrors } from './helpers';

test.describe('course home', () => {
  test('lists every lesson in order with its progress', async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto('/');
    const cards = page.getByTestId('lesson-cards').locator('li');
    await expect(cards).toHaveCount(LESSONS.length);
    for (const [i, lesson] of LESSONS.entries()) {
      await expect(cards.nth(i)).toContainText(lesson.title);
      await expect(cards.nth(i).getByTestId(`quiz-progress-${lesson.slug}`)).toHaveText(/Quiz/);
    }
    expect(await backendBadge(page)).toBe('WebGPU');
    expect(errors).toEqual([]);
  });
});

for (const lesson of LESSONS) {
  test(`lesson "${lesson.slug}" loads cleanly, with a working table of contents and quiz`, async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto(`/lessons/${lesson.slug}/`);
    await expect(page.locator('h1')).toHaveText(lesson.title);
    await expect(page.locator('.lesson-header')).toContainText(`${lesson.minutes} min`);
    // Every table-of-contents link lands on a heading of the page.
    const links = page.getByTestId('toc').locator('a');
    expect(await links.count()).toBeGreaterThan(0);
    for (const href of await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
      await expect(page.locator(`.lesson-body ${href}`)).toHaveCount(1);
    }
    // Formulas are typeset by KaTeX at build time.
    expect(await page.locator('.lesson-body .katex').count()).toBeGreaterThan(0);
    await expect(page.getByTestId('quiz').locator('fieldset')).toHaveCount(lesson.quizQuestions);
    expect(await backendBadge(page)).toBe('WebGPU');
    // Let widgets finish loading tfjs before judging the console.
    await page.waitForLoadState('networkidle');
    expect(errors).toEqual([]);
  });
}

test('lessons link to their neighbours and the sidebar marks the current one', async ({ page }) => {
  await page.goto(`/lessons/${LESSONS[0].slug}/`);
  await expect(page.locator('.lesson-nav a[aria-current="page"]')).toHaveText(LESSONS[0].title);
  if (LESSONS.length > 1) {
    await page.locator('.pager a[rel="next"]').click();
    await expect(page.locator('h1')).toHaveText(LESSONS[1].title);
  } else {
    await expect(page.locator('.pager a')).toHaveCount(0);
  }
});

test('an unusable ?backend= is named on the page, not dropped in silence', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/lessons/why-quantize/?backend=cuda');
  await expect(page.getByTestId('compute-ignored')).toContainText('This link’s backend=cuda could not be used');
  expect(await backendBadge(page)).toMatch(/^(WebGPU|WebGL|CPU)$/);
  await expect(page.locator('.backend-badge')).toHaveAttribute('title', /backend=cuda could not be used/);
  expect(errors).toEqual([]);
});

test('?backend=cpu forces the CPU backend, and the INT8 check still matches the reference', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/lessons/why-quantize/?backend=cpu');
  expect(await backendBadge(page)).toBe('CPU');
  await expect(page.locator('.backend-badge')).toHaveAttribute('title', /Forced by \?backend=cpu/);
  const r = await runInt8Check(page, String(2 ** 16));
  expect(r.backend).toBe('CPU');
  expect(r.elements).toBe('65,536');
  expect(r.maxDiff).toBe('0');
  expect(errors).toEqual([]);
});
