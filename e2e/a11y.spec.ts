import { expect, test, type Page } from '@playwright/test';
import { createRequire } from 'node:module';
import type { AxeResults, Result } from 'axe-core';
import { LESSONS } from '../content/lessons';

/**
 * axe-core on every page of the site, in the light and the dark colour scheme. A page is loaded once;
 * axe runs on it as first rendered (widgets may still be in their initial state, GPU work is not
 * awaited), again after the colour scheme flips to dark (the site's dark theme is pure CSS), and
 * once more, still dark, at a phone's width, where wide tables and display formulas scroll.
 * Fails on any serious or critical violation, and on the best-practice rules named in BLOCKING_RULES.
 */
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Rules axe rates "moderate" that the site keeps clean all the same. */
const BLOCKING_RULES = new Set(['heading-order', 'landmark-unique']);

const PAGES = [
  { name: 'course home', path: '/' },
  ...LESSONS.map((l) => ({ name: `lesson ${l.slug}`, path: `/lessons/${l.slug}/` })),
  { name: 'Check your GPU', path: '/gpu/' },
  { name: 'Benchmarks', path: '/bench/' },
  { name: 'Check this computer', path: '/check/' },
  { name: 'Notebook', path: '/notebook/' },
];

function blocking(v: Result): boolean {
  return v.impact === 'serious' || v.impact === 'critical' || BLOCKING_RULES.has(v.id);
}

/** One line per failing node: rule, impact, target and axe's summary of what is wrong. */
function describe(violations: Result[]): string[] {
  return violations.flatMap((v) =>
    v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')} — ${n.failureSummary?.replace(/\s+/g, ' ') ?? ''}`),
  );
}

async function audit(page: Page): Promise<string[]> {
  const results = await page.evaluate(() =>
    (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<AxeResults> } }).axe.run(document, {
      resultTypes: ['violations'],
    }),
  );
  return describe(results.violations.filter(blocking));
}

for (const { name, path } of PAGES) {
  test(`${name} has no serious accessibility violations, light and dark, desktop and phone`, async ({ page }) => {
    // An init script is injected by the browser, not the page, so the site's CSP does not block it.
    await page.addInitScript({ path: axePath });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(path);
    await expect(page.locator('h1')).toBeVisible();
    // Hydrated: the header's compute badge has left its server-rendered placeholder.
    await expect(page.getByTestId('compute-backend')).toHaveText(/^(WebGPU|WebGL|CPU)$/);
    expect.soft(await audit(page), 'light').toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect.soft(await audit(page), 'dark').toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    // Two frames: layout, then the ResizeObservers' updates (ScrollRegion) have rendered.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    expect.soft(await audit(page), 'dark, phone width').toEqual([]);
  });
}
