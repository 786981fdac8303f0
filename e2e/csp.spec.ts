import { expect, test, type Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { LESSONS } from '../content/lessons';
import { watchErrors } from './helpers';

/**
 * The Content-Security-Policy that `npm run build` (scripts/csp.mjs) writes into every page, and
 * the headers `serve` sends from out/serve.json: present, strict, and the GPU and the QLoRA worker
 * still work under them. A probe at the end injects an inline script, which the policy must block:
 * proof that the policy is in force, not merely present.
 */

/** Records every CSP violation the page reports, from the first byte on. */
async function watchViolations(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[] };
    w.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      w.cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  return () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
}

/** Inserts an inline <script>; returns whether it ran. */
function inlineScriptRuns(page: Page) {
  return page.evaluate(() => {
    const w = window as unknown as { probeRan?: boolean };
    const s = document.createElement('script');
    s.textContent = 'window.probeRan = true;';
    document.head.append(s);
    s.remove();
    return w.probeRan === true;
  });
}

test('every page carries a CSP with hashed inline scripts, and serve sends frame-ancestors', async ({ request }) => {
  const paths = ['/', ...LESSONS.map((l) => `/lessons/${l.slug}/`), '/gpu/', '/bench/'];
  for (const path of paths) {
    const res = await request.get(path);
    expect(res.headers()['content-security-policy'], path).toBe("frame-ancestors 'none'");
    expect(res.headers()['x-content-type-options'], path).toBe('nosniff');
    const html = await res.text();
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    expect(policy, `${path}: CSP meta tag`).toBeDefined();
    // Before any script or stylesheet: a meta CSP covers only what comes after it.
    expect(html.indexOf('http-equiv="Content-Security-Policy"'), path).toBeLessThan(html.search(/<script|<link rel="stylesheet"/));
    const directives = Object.fromEntries(policy!.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['script-src']).not.toContain("'unsafe-inline'");
    expect(directives['script-src']).not.toContain("'unsafe-eval'");
    // Every inline script of the page is allowed by its hash, and nothing else is.
    const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
    expect(inline.length, path).toBeGreaterThan(0);
    const hashes = new Set(inline.map((text) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`));
    expect(new Set(directives['script-src'].filter((s: string) => s.startsWith("'sha256-"))), path).toEqual(hashes);
  }
});

test('under the CSP the lab runs on WebGPU with no violation, and an injected inline script is blocked', async ({ page }) => {
  const errors = watchErrors(page);
  const violations = await watchViolations(page);
  await page.goto('/lessons/scale-and-zero-point/');
  const lab = page.locator('[data-lab-id="zp"]');
  await lab.scrollIntoViewIfNeeded();
  await expect
    .poll(async () => (await lab.getAttribute('data-rendered-version')) === (await lab.getAttribute('data-settings-version')) && (await lab.getAttribute('aria-busy')) === 'false', { timeout: 60_000 })
    .toBe(true);
  await expect(lab.getByTestId('lab-path')).toContainText('fused WebGPU kernels');
  await expect(page.getByTestId('compute-backend')).toHaveText('WebGPU');
  expect(await violations()).toEqual([]);
  expect(errors).toEqual([]);
  expect(await inlineScriptRuns(page)).toBe(false);
  await expect.poll(violations).toEqual([expect.stringMatching(/^script-src-elem blocked inline/)]);
});

test('under the CSP the QLoRA trainer starts its worker on WebGPU with no violation', async ({ page }) => {
  test.setTimeout(300_000);
  const errors = watchErrors(page);
  const violations = await watchViolations(page);
  await page.goto('/lessons/qlora/?qlora.steps=10');
  const w = page.getByTestId('qlora-widget');
  await w.scrollIntoViewIfNeeded();
  await w.getByTestId('qlora-start').click();
  // The worker reports its backend once it has loaded tfjs, the model and the trainer.
  await expect(w.getByTestId('qlora-backend')).toContainText('Web Worker on WebGPU', { timeout: 240_000 });
  expect(await violations()).toEqual([]);
  expect(errors).toEqual([]);
  expect(await inlineScriptRuns(page)).toBe(false);
});
