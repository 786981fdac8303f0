import { expect, test, type Locator, type Page } from '@playwright/test';
import { watchErrors } from './helpers';

const LESSON = '/lessons/scale-and-zero-point/';

/** Waits until the lab has drawn the result of its latest settings. */
async function settled(lab: Locator) {
  await expect
    .poll(async () => (await lab.getAttribute('data-rendered-version')) === (await lab.getAttribute('data-settings-version')) && (await lab.getAttribute('aria-busy')) === 'false', { timeout: 60_000 })
    .toBe(true);
}

async function openLab(page: Page, url = LESSON): Promise<Locator> {
  await page.goto(url);
  const lab = page.locator('[data-lab-id="zp"]');
  await lab.scrollIntoViewIfNeeded();
  await expect(lab).toHaveAttribute('data-hydrated', 'true');
  return lab;
}

/** The box of `loc` lies inside the viewport: seen without scrolling. */
async function expectOnScreen(page: Page, loc: Locator) {
  const box = await loc.boundingBox();
  const vp = page.viewportSize()!;
  expect(box).not.toBeNull();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.y).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(vp.width + 0.5);
  expect(box!.y + box!.height).toBeLessThanOrEqual(vp.height + 0.5);
}

for (const size of [
  { name: '1280×720', viewport: { width: 1280, height: 720 }, deviceScaleFactor: 1 },
  { name: '1024×768 at 150%', viewport: { width: 683, height: 512 }, deviceScaleFactor: 1.5 },
]) {
  test.describe(`presenter mode at ${size.name}`, () => {
    test.use({ viewport: size.viewport, deviceScaleFactor: size.deviceScaleFactor });
    test('fills the screen with the controls beside the main chart, chart text at least 18 px; Escape leaves it', async ({ page }) => {
      const errors = watchErrors(page);
      const lab = await openLab(page);
      await settled(lab);
      // The `p` key while the widget has focus (not in a box that takes keys).
      await lab.getByTestId('lab-copy-link').focus();
      await page.keyboard.press('p');
      await expect(lab).toHaveAttribute('data-presenting', 'true');
      await expect(lab.getByTestId('present-exit')).toBeFocused();
      const chart = lab.locator('figure.chart svg').first();
      await expect(chart).toBeVisible();
      await settled(lab);
      // Controls and the main chart together, with no scrolling; the controls to the chart's left.
      const controls = lab.locator('.controls').first();
      await expectOnScreen(page, controls);
      await expectOnScreen(page, chart);
      await expectOnScreen(page, lab.getByTestId('present-exit'));
      const [c, g] = [(await controls.boundingBox())!, (await chart.boundingBox())!];
      expect(c.x + c.width).toBeLessThanOrEqual(g.x);
      // Every text of the chart: computed font size × the svg's on-screen scale, in CSS pixels.
      const sizes = await chart.evaluate((svg: SVGSVGElement) => {
        const scale = svg.getScreenCTM()!.a;
        return [...svg.querySelectorAll('text')].map((t) => parseFloat(getComputedStyle(t).fontSize) * scale);
      });
      expect(sizes.length).toBeGreaterThan(3);
      expect(Math.min(...sizes)).toBeGreaterThanOrEqual(18);
      // Tab stays in the presented widget: the rest of the page is inert.
      await expect(page.locator('.site-header')).toHaveAttribute('inert', '');
      await page.keyboard.press('Escape');
      await expect(lab).not.toHaveAttribute('data-presenting', 'true');
      await expect(page.locator('.site-header')).not.toHaveAttribute('inert', '');
      await expect(lab.getByTestId('widget-present')).toBeFocused();
      expect(errors).toEqual([]);
    });
  });
}

test('a deck of three scenes: saved, stepped with the arrow keys, opened from its link on another computer; Reset', async ({ page, browser }) => {
  test.setTimeout(150_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  const lab = await openLab(page);
  const bits = lab.getByTestId('lab-bits-value');
  const symmetric = lab.getByRole('radio', { name: 'symmetric', exact: true });
  await lab.getByTestId('widget-present').click();
  await expect(lab).toHaveAttribute('data-presenting', 'true');
  await lab.getByTestId('deck-save').click(); // Scene 1: the defaults
  await lab.getByTestId('lab-bits').focus();
  for (let b = 8; b > 4; b--) await page.keyboard.press('ArrowLeft'); // a slider keeps its arrow keys
  await expect(bits).toHaveText('4');
  await lab.getByTestId('deck-save').click(); // Scene 2: 4 bits
  await symmetric.check();
  await lab.getByTestId('deck-save').click(); // Scene 3: 4 bits, symmetric
  const position = lab.getByTestId('deck-position');
  await expect(position).toHaveText('Scene 3 of 3: Scene 3');

  await lab.getByTestId('present-exit').focus();
  await page.keyboard.press('ArrowLeft');
  await expect(position).toHaveText('Scene 2 of 3: Scene 2');
  await expect(bits).toHaveText('4');
  await expect(symmetric).not.toBeChecked();
  await page.keyboard.press('ArrowLeft');
  await expect(position).toHaveText('Scene 1 of 3: Scene 1');
  await expect(bits).toHaveText('8');
  await expect(page).not.toHaveURL(/zp\.bits/);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(position).toHaveText('Scene 3 of 3: Scene 3');
  await expect(bits).toHaveText('4');
  await expect(symmetric).toBeChecked();
  await expect(page).toHaveURL(/zp\.bits=4/);

  await lab.getByTestId('deck-manage').click();
  await expect(lab.getByTestId('deck-scenes').locator('li')).toHaveCount(3);
  await lab.getByTestId('deck-copy-link').click();
  const link = await lab.getByTestId('deck-link').inputValue();
  expect(link).toMatch(/\?deck=[A-Za-z0-9_-]+$/);
  // A deck file for another page is refused whole, named, and the deck is unchanged.
  const wrongPage = { version: 1, page: '/lessons/granularity/', scenes: [{ name: 'x', widget: 'gran', query: '' }] };
  await lab.getByTestId('deck-open').setInputFiles({ name: 'other.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(wrongPage)) });
  await expect(lab.getByTestId('deck-message')).toContainText('other.json is a deck for the page /lessons/granularity/');
  await expect(lab.getByTestId('deck-scenes').locator('li')).toHaveCount(3);

  // Another computer: a fresh browser context, no stored deck. The link opens scene 1 presented.
  const other = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page2 = await other.newPage();
  const errors = watchErrors(page2);
  await page2.goto(link);
  const lab2 = page2.locator('[data-lab-id="zp"]');
  await expect(lab2).toHaveAttribute('data-presenting', 'true');
  const position2 = lab2.getByTestId('deck-position');
  await expect(position2).toHaveText('Scene 1 of 3: Scene 1');
  await expect(page2).not.toHaveURL(/deck=/);
  await lab2.getByTestId('present-exit').focus();
  await page2.keyboard.press('ArrowRight');
  await expect(position2).toHaveText('Scene 2 of 3: Scene 2');
  await expect(lab2.getByTestId('lab-bits-value')).toHaveText('4');
  await page2.keyboard.press('ArrowRight');
  await expect(position2).toHaveText('Scene 3 of 3: Scene 3');
  await expect(lab2.getByRole('radio', { name: 'symmetric', exact: true })).toBeChecked();
  await settled(lab2);

  // Reset: back to the widget's defaults, and out of the address.
  await page2.keyboard.press('Escape');
  await lab2.getByTestId('widget-reset').click();
  await expect(lab2.getByTestId('lab-bits-value')).toHaveText('8');
  await expect(lab2.getByRole('radio', { name: 'asymmetric (affine)' })).toBeChecked();
  await expect(page2).not.toHaveURL(/zp\./);
  expect(errors).toEqual([]);

  // A tampered link: a scene with a value the widget refuses is named, and nothing is applied.
  const bad = new URL(link);
  const deck = JSON.parse(Buffer.from(bad.searchParams.get('deck')!, 'base64url').toString('utf8'));
  deck.scenes[0].query = 'zp.bits=99';
  bad.searchParams.set('deck', Buffer.from(JSON.stringify(deck)).toString('base64url'));
  await page2.goto(bad.toString());
  await expect(lab2.getByTestId('deck-message')).toContainText('bits=99 is not a value this widget accepts');
  await expect(lab2.getByTestId('lab-bits-value')).toHaveText('8');
  // A link cut short is named beside the first widget's Present button.
  await page2.goto(`${LESSON}?deck=eyJ2ZXJzaW9uIjox`);
  await expect(page2.getByTestId('deck-link-error')).toContainText('could not be opened');
  await other.close();
});
