import { readFile } from 'node:fs/promises';
import { expect, test, type Download, type Locator, type Page } from '@playwright/test';
import { openPage, watchErrors } from './helpers';

/*
 * Screens beyond the desktop: exporting what a widget shows (its charts as SVG/PNG, its tables as
 * CSV/JSON), printing a lesson as a handout, the phone layout and the 404 page.
 */

async function saved(download: Download): Promise<Buffer> {
  const path = await download.path();
  return readFile(path);
}

/** A CSV document's records (RFC 4180: quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  return rows;
}

async function openExport(widget: Locator) {
  await widget.getByTestId('export-toggle').click();
  await expect(widget.getByTestId('export-toggle')).toHaveAttribute('aria-expanded', 'true');
}

async function download(page: Page, button: Locator): Promise<Download> {
  const [d] = await Promise.all([page.waitForEvent('download'), button.click()]);
  return d;
}

test('a widget exports its chart as SVG and PNG and its table as CSV and JSON, as shown', async ({ page }) => {
  const errors = watchErrors(page);
  await openPage(page, '/lessons/number-formats/');
  const w = page.getByTestId('number-line');
  await w.scrollIntoViewIfNeeded();
  const table = w.getByTestId('range-table');
  await expect(table).toBeVisible();

  await openExport(w);
  // The chart: a stand-alone SVG with the texts drawn on screen and no CSS variables left.
  const chart = w.locator('svg[role="img"]').first();
  const shownTexts = await chart.locator('text').allTextContents();
  const svgFile = await download(page, w.getByTestId('export-svg').first());
  expect(svgFile.suggestedFilename()).toMatch(/^where-the-numbers-are(-chart-1)?\.svg$/);
  const svg = (await saved(svgFile)).toString('utf8');
  expect(svg.startsWith('<?xml')).toBe(true);
  expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
  expect(svg).not.toContain('var(--');
  const doc = await page.evaluate((text) => {
    const d = new DOMParser().parseFromString(text, 'image/svg+xml');
    return { error: d.querySelector('parsererror') !== null, texts: [...d.querySelectorAll('text')].map((t) => t.textContent ?? '') };
  }, svg);
  expect(doc.error).toBe(false);
  expect(doc.texts).toEqual(shownTexts);

  // The same chart as a PNG (drawn through a blob: image under the site's CSP), at twice its size.
  const box = await chart.boundingBox();
  const png = await saved(await download(page, w.getByTestId('export-png').first()));
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  expect(Math.abs(png.readUInt32BE(16) - box!.width * 2)).toBeLessThanOrEqual(2);

  // The table: CSV and JSON hold exactly the cells shown, header row first.
  const shown = await table.evaluate((t: HTMLTableElement) => [...t.rows].map((r) => [...r.cells].map((c) => c.innerText.replace(/\s+/g, ' ').trim())));
  const csvFile = await download(page, w.getByTestId('export-csv'));
  expect(csvFile.suggestedFilename()).toBe('where-the-numbers-are.csv');
  expect(parseCsv((await saved(csvFile)).toString('utf8'))).toEqual(shown);
  const json = JSON.parse((await saved(await download(page, w.getByTestId('export-json')))).toString('utf8'));
  expect(json).toHaveLength(shown.length - 1);
  expect(Object.keys(json[0])).toEqual(shown[0]);
  expect(Object.values(json[json.length - 1])).toEqual(shown[shown.length - 1]);

  // Escape closes the menu and gives focus back to its button.
  await page.keyboard.press('Escape');
  await expect(w.getByTestId('export-toggle')).toHaveAttribute('aria-expanded', 'false');
  await expect(w.getByTestId('export-toggle')).toBeFocused();
  expect(errors).toEqual([]);
});

test('print: no site chrome and no controls, the widgets as figures', async ({ page }) => {
  await openPage(page, '/lessons/number-formats/');
  const w = page.getByTestId('number-line');
  await expect(w.getByTestId('export-toggle')).toBeVisible();
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.site-header')).toBeHidden();
  await expect(page.locator('.sidebar')).toBeHidden();
  await expect(w.getByTestId('export-toggle')).toBeHidden();
  // Sliders and buttons go; a select's choice and a typed number stay, as plain text.
  const explorer = page.getByTestId('bit-explorer');
  await expect(explorer.locator('input[type="range"]')).toBeHidden();
  await expect(explorer.getByTestId('explorer-input')).toBeVisible();
  expect(await explorer.getByTestId('explorer-format').evaluate((el) => [getComputedStyle(el).appearance, getComputedStyle(el).borderTopStyle])).toEqual(['none', 'none']);
  await expect(explorer.locator('button.bit').first()).toBeVisible();
  await expect(w.locator('svg[role="img"]').first()).toBeVisible();
  await expect(w.getByTestId('range-table')).toBeVisible();
  await expect(page.locator('h1')).toBeVisible();
});

test('phone: lessons menu closed, chart text at least 12 px, controls inside their cards, wide boxes scroll', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openPage(page, '/lessons/number-formats/');
  const menu = page.locator('.sidebar details');
  await expect(menu).not.toHaveAttribute('open');
  await expect(page.locator('.lesson-nav')).toBeHidden();
  await menu.locator('summary').click();
  await expect(page.locator('.lesson-nav')).toBeVisible();

  // Rendered size of chart text (font size in viewBox units times the svg's scale): the number
  // line scrolls sideways at full size on a phone.
  const textSizes = (page: Page, selector: string) =>
    page.locator(selector).evaluateAll((nodes) =>
      nodes
        .filter((t) => (t as SVGTextElement).getClientRects().length > 0 && (t.textContent ?? '').trim() !== '')
        .map((t) => parseFloat(getComputedStyle(t).fontSize) * ((t as SVGTextElement).ownerSVGElement?.getScreenCTM()?.a ?? 1)),
    );
  const sizes = await textSizes(page, '[data-testid="number-line"] .chart-scroll svg text');
  expect(sizes.length).toBeGreaterThan(0);
  expect(Math.min(...sizes)).toBeGreaterThanOrEqual(11.5);

  // No element sticks out of its widget card (content of a scrolling box excepted).
  const overflowing = await page.locator('section.widget').evaluateAll((cards) =>
    cards.flatMap((card) => {
      const right = card.getBoundingClientRect().right + 1;
      return [...card.querySelectorAll('*')]
        .filter((el) => el.getBoundingClientRect().right > right && el.getClientRects().length > 0)
        .filter((el) => {
          for (let p = el.parentElement; p && p !== card; p = p.parentElement) if (/(auto|scroll|hidden)/.test(getComputedStyle(p).overflowX)) return false;
          return true;
        })
        .map((el) => `${card.getAttribute('data-testid')}: ${el.tagName.toLowerCase()}.${el.getAttribute('class') ?? ''}`);
    }),
  );
  expect(overflowing).toEqual([]);

  // The range table is wider than a phone: a focusable group with a shadow on the side that hides more.
  const region = page.getByTestId('number-line').locator('[data-overflow]').filter({ has: page.getByTestId('range-table') });
  await expect(region).toHaveAttribute('data-overflow', 'right');
  await expect(region).toHaveAttribute('tabindex', '0');
  expect(await region.evaluate((el) => getComputedStyle(el).boxShadow)).not.toBe('none');
  await region.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
  await expect(region).toHaveAttribute('data-overflow', 'left');

  // A ChartFrame chart's text is set to draw at 12.5 px whatever the chart's scale.
  await openPage(page, '/lessons/ptq-vs-qat/');
  await page.getByTestId('ste-explorer').scrollIntoViewIfNeeded();
  const ste = page.getByTestId('ste-chart');
  await expect(ste.locator('svg text').first()).toBeVisible();
  const steSizes = await textSizes(page, '[data-testid="ste-chart"] svg text');
  expect(Math.min(...steSizes)).toBeGreaterThanOrEqual(12);

  // Wide screens show the lesson list without the summary.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/lessons/number-formats/');
  await expect(page.locator('.lesson-nav')).toBeVisible();
  await expect(menu.locator('summary')).toBeHidden();
});

test('an unknown address gets the styled 404 page with a way back', async ({ page }) => {
  const res = await page.goto('/lessons/no-such-lesson/');
  expect(res?.status()).toBe(404);
  await expect(page.getByTestId('not-found').locator('h1')).toHaveText('Page not found');
  await page.getByTestId('not-found').getByRole('link', { name: 'The course home' }).click();
  await expect(page.getByTestId('lesson-cards')).toBeVisible();
});
