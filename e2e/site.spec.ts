import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { extractHeadings } from '../lib/lessons/headings';
import { LESSONS } from '../content/lessons';
import { lessonQuizIds } from '../components/lesson/source';
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
    await expect(page.getByTestId('quiz').locator('fieldset')).toHaveCount(lessonQuizIds(lesson.slug).length);
    expect(await backendBadge(page)).toBe('WebGPU');
    // Let widgets finish loading tfjs before judging the console.
    await page.waitForLoadState('networkidle');
    expect(errors).toEqual([]);
  });
}

test('formulas use the stylesheet of the KaTeX that typeset them: small subscripts, unbroken inline formulas', async ({ page }) => {
  // A phone-width column, where an inline formula whose pieces are not held together would wrap.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/lessons/scale-and-zero-point/');
  const inline = page.locator('.lesson-body p .katex');
  expect(await inline.count()).toBeGreaterThan(0);
  const measured = await inline.evaluateAll((nodes) => {
    const size = (el: Element) => parseFloat(getComputedStyle(el).fontSize);
    // q_{\min}: the subscript is typeset at KaTeX's script size, 0.7 of the formula's.
    const ratios = nodes.flatMap((katex) =>
      [...katex.querySelectorAll('.msupsub .vlist-t .mord')].map((sub) => size(sub) / size(katex)),
    );
    // Each .base is one unbreakable run of the formula: it lays out as a single box.
    const broken = nodes.flatMap((katex) => [...katex.querySelectorAll('.base')]).filter((b) => b.getClientRects().length !== 1).length;
    return { ratios, broken };
  });
  expect(measured.ratios.length).toBeGreaterThan(0);
  expect(Math.max(...measured.ratios)).toBeLessThan(0.85);
  expect(measured.broken).toBe(0);
});

test('the table of contents numbers the sections and nests their subsections unnumbered', async ({ page }) => {
  await page.goto('/lessons/four-bit/');
  const toc = page.getByTestId('toc');
  const headings = extractHeadings(readFileSync('content/lessons/four-bit.mdx', 'utf8'));
  const sections = headings.filter((h) => h.depth === 2).length;
  const subsections = headings.filter((h) => h.depth === 3).length;
  expect(subsections).toBeGreaterThan(0);
  await expect(toc.locator(':scope > ol > li')).toHaveCount(sections);
  await expect(toc.locator(':scope > ol > li > ul > li')).toHaveCount(subsections);
});

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
