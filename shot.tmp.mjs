import { chromium } from '@playwright/test';
const backend = process.argv[2];
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--enable-unsafe-webgpu','--disable-background-networking','--disable-component-update','--no-first-run'] });
const p = await b.newPage({ viewport: { width: 1280, height: 1000 } });
const errs = []; p.on('console', (m) => { if (m.type() === 'error') errs.push(m.text()); }); p.on('pageerror', (e) => errs.push(e.message));
await p.goto(`http://localhost:3301/lessons/qlora/?qlora.steps=50&backend=${backend}`);
const w = p.getByTestId('qlora-widget'); await w.scrollIntoViewIfNeeded();
await p.waitForTimeout(1000);
const t0 = Date.now();
await w.getByTestId('qlora-start').click();
for (let i = 0; i < 30; i++) {
  await p.waitForTimeout(5000);
  const st = await w.getAttribute('data-state'); const step = await w.getAttribute('data-step');
  const err = await p.locator('[data-testid=qlora-error]').count() ? await p.locator('[data-testid=qlora-error]').textContent() : '';
  console.log(((Date.now()-t0)/1000).toFixed(0)+'s', st, step, await p.getByTestId('qlora-status').textContent(), await p.getByTestId('qlora-backend').textContent(), err);
  if (Number(step) >= 4 || st === 'error' || err) break;
}
console.log(errs.join('\n'));
await b.close();
