import { expect, test } from '@playwright/test';
import { backendBadge, watchErrors } from './helpers';

test('the header switches the backend by reloading with ?backend=, keeping the widgets’ state in the address', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/lessons/ptq-vs-qat/?ste.w=1.4&ste.bits=2#top');
  expect(await backendBadge(page)).toBe('WebGPU');

  const toggle = page.getByTestId('backend-switch-toggle');
  await toggle.click();
  const panel = page.getByTestId('backend-switch');
  // What is in use, the adapter (a software one here) and what each backend means.
  await expect(page.getByTestId('backend-switch-now')).toContainText(/Computing on WebGPU \(software\)\. WebGPU adapter: .*swiftshader \(software, on the CPU\)/i);
  await expect(panel.locator('[data-backend="auto"] [aria-current]')).toContainText('Automatic');
  await expect(panel.locator('[data-backend="cpu"]')).toContainText('Plain JavaScript on the processor');
  // Escape closes the panel and gives the focus back to its toggle.
  await page.keyboard.press('Escape');
  await expect(panel).not.toHaveAttribute('open');
  await expect(toggle).toBeFocused();

  await toggle.click();
  await page.getByTestId('backend-option-webgl').click();
  await page.waitForURL(/backend=webgl/);
  const url = new URL(page.url());
  expect(url.searchParams.get('ste.w')).toBe('1.4');
  expect(url.searchParams.get('ste.bits')).toBe('2');
  expect(url.hash).toBe('#top');
  expect(await backendBadge(page)).toBe('WebGL');
  await expect(page.locator('.backend-badge')).toHaveAttribute('title', /Forced by \?backend=webgl/);

  await toggle.click();
  await expect(panel.locator('[data-backend="webgl"] [aria-current]')).toContainText('WebGL');
  await page.getByTestId('backend-option-auto').click();
  await page.waitForURL((u) => !u.searchParams.has('backend'));
  expect(new URL(page.url()).searchParams.get('ste.w')).toBe('1.4');
  expect(await backendBadge(page)).toBe('WebGPU');
  expect(errors).toEqual([]);
});

test('Check this computer: from the sidebar, a timed QLoRA step gives the verdict, kept and shown on return', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = watchErrors(page);
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Tools' }).getByRole('link', { name: 'Check this computer' }).click();
  await page.waitForURL(/\/check\/$/);
  await expect(page.getByRole('link', { name: 'Check your GPU' })).toHaveAttribute('href', '/gpu/');
  await expect(page.getByRole('link', { name: 'Benchmarks' })).toHaveAttribute('href', '/bench/');

  const w = page.getByTestId('check-computer');
  await w.getByTestId('computer-run').click();
  await expect(w.getByTestId('computer-progress')).toBeVisible();
  await expect(w).toHaveAttribute('data-state', 'done', { timeout: 150_000 });
  const verdict = (await w.getByTestId('computer-verdict').textContent()) ?? '';
  expect(verdict).toMatch(/^(Fast enough|Slow|Too slow) for (the|a live) QLoRA demo: about [\d.]+ s per step \(100 steps take about .+\)/);

  // Back later: the last result, with when and on which adapter, and Run again (IndexedDB).
  await page.reload();
  const saved = w.getByTestId('computer-saved');
  await expect(saved).toContainText(/Last result: computed .+ on WebGPU \(software\) · .*swiftshader/i);
  await expect(saved.getByTestId('computer-verdict')).toHaveText(verdict);
  await expect(saved.getByRole('button', { name: 'Run again' })).toBeEnabled();
  expect(errors).toEqual([]);
});
