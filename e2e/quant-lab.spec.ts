import { expect, test, type Locator } from '@playwright/test';
import { watchErrors } from './helpers';

async function stats(lab: Locator) {
  await expect(lab).toHaveAttribute('aria-busy', 'false', { timeout: 60_000 });
  const text = async (id: string) => (await lab.getByTestId(id).textContent()) ?? '';
  return { scale: await text('lab-scale'), zp: await text('lab-zero-point'), sqnr: await text('lab-sqnr'), clipped: await text('lab-clipped'), nonFinite: await text('lab-nonfinite'), path: await text('lab-path') };
}

/** Waits until the lab has drawn the result of its latest settings. */
async function settled(lab: Locator) {
  await expect
    .poll(async () => (await lab.getAttribute('data-rendered-version')) === (await lab.getAttribute('data-settings-version')) && (await lab.getAttribute('aria-busy')) === 'false', { timeout: 60_000 })
    .toBe(true);
}

test.describe('quantization lab', () => {
  test('runs on the fused WebGPU kernels; fewer bits, lower SQNR; the view goes into the URL', async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto('/lessons/scale-and-zero-point/');
    const lab = page.locator('[data-lab-id="zp"]');
    await lab.scrollIntoViewIfNeeded();
    await settled(lab);
    const at8 = await stats(lab);
    expect(at8.path).toContain('fused WebGPU kernels');
    const bits = lab.getByTestId('lab-bits');
    await bits.focus();
    for (let b = 8; b > 2; b--) await page.keyboard.press('ArrowLeft');
    await expect(lab.getByTestId('lab-bits-value')).toHaveText('2');
    await settled(lab);
    const at2 = await stats(lab);
    expect(parseFloat(at2.sqnr)).toBeLessThan(parseFloat(at8.sqnr) - 25); // ~6 dB a bit
    await expect(page).toHaveURL(/zp\.bits=2/);
    // The shared link reopens the same view.
    await page.reload();
    const again = page.locator('[data-lab-id="zp"]');
    await again.scrollIntoViewIfNeeded();
    await expect(again.getByTestId('lab-bits-value')).toHaveText('2');
    await settled(again);
    expect((await stats(again)).sqnr).toBe(at2.sqnr);
    expect(errors).toEqual([]);
  });

  test('a lost WebGPU device is named, the stale charts cleared, and Restart brings the figures back', async ({ page }) => {
    await page.goto('/lessons/scale-and-zero-point/?zp.bits=4');
    const lab = page.locator('[data-lab-id="zp"]');
    await lab.scrollIntoViewIfNeeded();
    await settled(lab);
    const before = await stats(lab);
    expect(before.path).toContain('fused WebGPU kernels');
    // What a GPU reset does: the device dies under the page.
    await page.evaluate(() => (window.lowbit!.tf.backend() as unknown as { device: GPUDevice }).device.destroy());
    await expect(lab.getByTestId('device-lost')).toContainText('WebGPU device was lost');
    await expect(lab.getByTestId('lab-stats')).toHaveCount(0);
    await expect(page.getByTestId('compute-backend')).toHaveText('WebGPU device lost');
    await lab.getByTestId('device-lost-restart').click();
    await expect(lab.getByTestId('device-lost')).toHaveCount(0);
    await settled(lab);
    const after = await stats(lab);
    expect(after.path).toContain('fused WebGPU kernels');
    expect(after.sqnr).toBe(before.sqnr);
    await expect(page.getByTestId('compute-backend')).toHaveText('WebGPU');
    await expect(page.getByTestId('compute-restarted')).toBeVisible();
  });

  test('the CPU reference shows the same numbers as the GPU', async ({ page }) => {
    await page.goto('/lessons/scale-and-zero-point/?zp.bits=4');
    const gpuLab = page.locator('[data-lab-id="zp"]');
    await gpuLab.scrollIntoViewIfNeeded();
    await settled(gpuLab);
    const gpu = await stats(gpuLab);
    await page.goto('/lessons/scale-and-zero-point/?zp.bits=4&backend=cpu');
    const cpuLab = page.locator('[data-lab-id="zp"]');
    await cpuLab.scrollIntoViewIfNeeded();
    await settled(cpuLab);
    const cpu = await stats(cpuLab);
    expect(cpu.path).toContain('CPU reference');
    expect(gpu.path).toContain('fused WebGPU');
    expect({ ...cpu, path: '' }).toEqual({ ...gpu, path: '' });
  });

  test('bad input: NaN/Inf counted and excluded, bits outside 2..8 rejected, constant tensor explained', async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto('/lessons/clipping-and-calibration/?edge.bits=9&edge.seed=3000000000');
    const lab = page.locator('[data-lab-id="edge"]');
    await lab.scrollIntoViewIfNeeded();
    await expect(lab.getByTestId('lab-ignored')).toContainText('bits=9');
    await expect(lab.getByTestId('lab-ignored')).not.toContainText('seed');
    await expect(lab.getByTestId('lab-seed')).toHaveValue('3000000000');
    await settled(lab);
    await expect(lab.getByTestId('lab-constant-note')).toBeVisible();
    await lab.getByTestId('lab-distribution').selectOption('normal');
    await lab.getByTestId('lab-corrupt').check();
    await settled(lab);
    const s = await stats(lab);
    expect(Number(s.nonFinite.replace(/,/g, ''))).toBeGreaterThan(1000);
    await expect(lab.getByTestId('lab-tensor')).toContainText('NaN/±Inf injected');
    expect(s.sqnr).toMatch(/dB/); // finite statistics despite the NaNs
    expect(errors).toEqual([]);
  });

  test('granularity: per-channel and group-wise scales cut the error of an outlier matrix', async ({ page }) => {
    await page.goto('/lessons/granularity/');
    const lab = page.locator('[data-lab-id="gran"]');
    await lab.scrollIntoViewIfNeeded();
    await settled(lab);
    const tensor = parseFloat((await stats(lab)).sqnr);
    await lab.getByTestId('lab-granularity').selectOption('group');
    await settled(lab);
    const group = parseFloat((await stats(lab)).sqnr);
    expect(group).toBeGreaterThan(tensor + 3);
    await expect(lab.getByTestId('heatmap')).toBeVisible();
    // Hovering the heatmap by keyboard names a cell.
    await lab.getByTestId('heatmap').locator('canvas').focus();
    await page.keyboard.press('ArrowRight');
    await expect(lab.getByTestId('heatmap-hover')).toContainText('row');
  });
});
