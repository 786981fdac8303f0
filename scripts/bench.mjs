#!/usr/bin/env node
/**
 * `npm run bench`: the quantization lab's benchmark, measured in Chromium on the static export.
 *
 * 1. Serves out/ (built by `npm run build`; this script builds nothing) with `serve` on a free
 *    localhost port — WebGPU needs a secure context, which localhost is.
 * 2. Launches Chromium as playwright.config.ts does ($PLAYWRIGHT_CHROMIUM_EXECUTABLE, else
 *    /usr/bin/chromium, else Playwright's own; --enable-unsafe-webgpu and the closed-network flags).
 * 3. Interaction latency on /lessons/scale-and-zero-point/: the quantization lab
 *    (data-testid="quant-lab", its default 1024 × 1024 tensor) sets data-settings-version when a
 *    setting changes and data-rendered-version when it has redrawn for it. The bits slider
 *    (data-testid="lab-bits") is moved by ArrowLeft/ArrowRight presses; each sample is the time
 *    from the keydown's dispatch to the animation frame after data-rendered-version reaches the
 *    new data-settings-version, taken in the page with performance.now() and a MutationObserver.
 *    Skipped, with a message, when the page or the widget is not there.
 * 4. Opens /bench/ and calls window.lowbitBench.run(): fused WebGPU kernels, the same pass as a
 *    chain of tfjs ops on WebGPU, and the CPU reference, at 1M and 16M elements.
 * 5. Prints the adapter, the timings with the ratios side by side and the agreement check, and
 *    writes bench/results/quantize.json and bench/results/interaction.json.
 * 6. Training: on /bench/?backend=<webgpu|webgl|cpu> calls window.lowbitBench.train():
 *    a QLoRA step (NF4 + DQ base dequantized in every forward) and a LoRA step on the FP32 base,
 *    and a QAT step (4-bit fake-quantized Linear weights) and a plain full fine-tuning step, same
 *    model, batch and seed, stepped in turn; prints steps per second per backend, the QLoRA/LoRA
 *    and QAT/full step-time ratios, and writes bench/results/train.json. Exits 1 when a GPU
 *    implementation's statistics disagree with the CPU reference (its timings would be of a wrong result).
 *
 * 7. Serving (skip with --skip-serving), written to bench/results/serving.json:
 *    { adapter, native: { decodeTokensPerSecond, loraStepMs, … } | null,
 *      decode: [{ format, tokensPerSecond, bytesPerToken }], train: [{ backend, mode, stepMs }],
 *      comparisonSeconds, firstStepSeconds }
 *    - native: scripts/native-reference.py, the same tiny model in PyTorch on the CPU (python3 with
 *      torch: $PYTHON, else /usr/bin/python3, else python3; null with a message without torch).
 *      decodeTokensPerSecond is its KV-cached greedy decode, decodeTokensPerSecondNoCache the
 *      uncached one.
 *    - decode: window.lowbitBench.decode() on /bench/ when the page has it, else [] and a message.
 *    - train: the LoRA and QLoRA rows of step 6 (or, with --skip-train, of a LoRA + QLoRA run per backend).
 *    - comparisonSeconds: wall time of the quantized-inference lesson's six-format comparison,
 *      driven as a learner does (data-testid="inference-run", until data-state="done").
 *    - firstStepSeconds: Start → first finished step of the QLoRA lesson's trainer on WebGPU, as
 *      the page measures it (data-first-step-ms on data-testid="qlora-widget").
 *    Prints the browser's figures against native side by side (scripts/bench-serving.mjs).
 *
 * Options: --runs N (timed runs per implementation and size, default 7), --sides 1024,4096,
 * --presses N (slider presses, default 40), --skip-interaction, --skip-quantize, --skip-train,
 * --skip-serving, --train-steps N (timed training steps per mode and backend, default 5),
 * --out DIR (default out).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { nativeSummary, servingRatios, servingResult, trainRows } from './bench-serving.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = join(root, 'bench', 'results');
const LESSON = '/lessons/scale-and-zero-point/';
const LAB_ELEMENTS = 1024 * 1024;
// Float32 sums on the device against the reference's float64 ones: ~1e-7 at 1M, ~5e-6 at 16M for a tree of tfjs reductions.
const STAT_TOLERANCE = 1e-4;
// Errors within a float32 rounding of a bin edge may land in the neighbouring bin.
const HISTOGRAM_TOLERANCE = 1e-5;

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    sides: { type: 'string', default: '1024,4096' },
    presses: { type: 'string', default: '40' },
    'skip-interaction': { type: 'boolean', default: false },
    'skip-quantize': { type: 'boolean', default: false },
    'skip-train': { type: 'boolean', default: false },
    'skip-serving': { type: 'boolean', default: false },
    'train-steps': { type: 'string', default: '5' },
    out: { type: 'string', default: 'out' },
  },
});
const outDir = join(root, args.out);
const runs = Number(args.runs);
const sides = args.sides.split(',').map(Number);
const presses = Number(args.presses);
if (!Number.isInteger(runs) || runs < 1 || sides.some((s) => !Number.isInteger(s) || s < 1) || !Number.isInteger(presses) || presses < 1) {
  console.error('Usage: npm run bench -- [--runs N] [--sides 1024,4096] [--presses N] [--skip-interaction] [--skip-quantize] [--skip-train] [--skip-serving] [--train-steps N] [--out DIR]');
  process.exit(2);
}

if (!existsSync(join(outDir, 'index.html'))) {
  console.error(`${args.out}/ does not exist: build the static export first with \`npm run build\`, then run \`npm run bench\` again.`);
  process.exit(1);
}
if (!existsSync(join(outDir, 'bench', 'index.html'))) {
  console.error(`${args.out}/ has no /bench/ page (it was built before the benchmark page existed): run \`npm run build\`, then \`npm run bench\` again.`);
  process.exit(1);
}

// Same executable resolution and flags as playwright.config.ts.
const executablePath = process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
const quietFlags = ['--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForServer(url, server, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`serve exited with code ${server.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`serve did not answer at ${url} within ${timeoutMs / 1000} s`);
}

const fmtMs = (t) => (t === null || t === undefined ? '—' : t >= 100 ? t.toFixed(0) : t.toFixed(1));
const fmtRatio = (r) => (r === null || r === undefined ? '—' : `${r.toFixed(r >= 10 ? 0 : 1)}x`);

/**
 * In-page probe for one slider press: arm() notes the settings version and the keydown's dispatch
 * time; done() resolves with the latency in ms once rendered >= settings > before, at the next
 * animation frame, or with null after `timeoutMs` (a press that changed nothing).
 */
function installLatencyProbe() {
  window.__lowbitLatency = {
    arm(timeoutMs) {
      const lab = document.querySelector('[data-testid="quant-lab"]');
      const num = (name) => Number(lab.getAttribute(name) ?? NaN);
      const before = num('data-settings-version');
      let t0 = null;
      let resolve;
      const done = new Promise((r) => (resolve = r));
      const onKey = () => {
        t0 ??= performance.now();
      };
      window.addEventListener('keydown', onKey, { capture: true, once: true });
      const check = () => {
        const settings = num('data-settings-version');
        const rendered = num('data-rendered-version');
        if (t0 !== null && settings > before && rendered >= settings) {
          observer.disconnect();
          clearTimeout(timer);
          requestAnimationFrame(() => resolve(performance.now() - t0));
        }
      };
      const observer = new MutationObserver(check);
      observer.observe(lab, { attributes: true, attributeFilter: ['data-settings-version', 'data-rendered-version'] });
      const timer = setTimeout(() => {
        observer.disconnect();
        window.removeEventListener('keydown', onKey, { capture: true });
        resolve(null);
      }, timeoutMs);
      window.__lowbitLatency.pending = done;
    },
    done() {
      return window.__lowbitLatency.pending;
    },
  };
}

async function measureInteraction(browser, base) {
  const page = await browser.newPage();
  try {
    const res = await page.goto(base + LESSON, { waitUntil: 'load' });
    if (!res || !res.ok()) return { skipped: `${LESSON} is not in ${args.out}/ (HTTP ${res ? res.status() : 'no response'}); the lesson with the quantization lab is not built yet.` };
    const lab = page.locator('[data-testid="quant-lab"]').first();
    if ((await lab.count()) === 0) return { skipped: `${LESSON} has no quantization lab (data-testid="quant-lab") yet.` };
    const bits = lab.locator('[data-testid="lab-bits"]');
    if ((await bits.count()) === 0) return { skipped: 'the quantization lab has no bits slider (data-testid="lab-bits") yet.' };
    await lab.scrollIntoViewIfNeeded();
    // The first render: tfjs loads, the tensor is made and uploaded, the kernels compile.
    const first = await page
      .waitForFunction(
        () => {
          const el = document.querySelector('[data-testid="quant-lab"]');
          const s = Number(el?.getAttribute('data-settings-version') ?? NaN);
          const r = Number(el?.getAttribute('data-rendered-version') ?? NaN);
          return s >= 1 && r >= s && el?.getAttribute('aria-busy') !== 'true';
        },
        null,
        { timeout: 120_000 },
      )
      .then(() => true, () => false);
    if (!first) return { skipped: 'the quantization lab never drew its first result (data-rendered-version >= data-settings-version >= 1; waited 120 s).' };
    const tensor = lab.locator('[data-testid="lab-tensor"]');
    if ((await tensor.count()) > 0) console.log(`  The lab's tensor: ${(await tensor.textContent())?.trim()}`);
    const backend = await page.evaluate(() => window.lowbit?.backend ?? null);
    // The slider itself, or the focusable control inside the element carrying the test id.
    const control = (await bits.evaluate((el) => el.matches('input, select, [role="slider"], [tabindex]'))) ? bits : bits.locator('input, [role="slider"]').first();
    await page.evaluate(installLatencyProbe);
    await control.focus();
    const readValue = () =>
      control.evaluate((el) => {
        const v = Number(el.getAttribute('aria-valuenow') ?? el.value);
        const lo = Number(el.getAttribute('aria-valuemin') ?? el.min);
        const hi = Number(el.getAttribute('aria-valuemax') ?? el.max);
        return { v, lo, hi };
      });
    const samples = [];
    let misses = 0;
    let direction = 'ArrowLeft';
    const warmUp = 2;
    for (let i = 0; i < presses + warmUp && misses < 10; i++) {
      const { v, lo, hi } = await readValue();
      if (Number.isFinite(v) && Number.isFinite(hi) && v >= hi) direction = 'ArrowLeft';
      else if (Number.isFinite(v) && Number.isFinite(lo) && v <= lo) direction = 'ArrowRight';
      await page.evaluate(() => window.__lowbitLatency.arm(10_000));
      await page.keyboard.press(direction);
      const ms = await page.evaluate(() => window.__lowbitLatency.done());
      if (ms === null) {
        misses++;
        i--;
      } else if (i >= warmUp) {
        samples.push(ms);
      }
      direction = direction === 'ArrowLeft' ? 'ArrowRight' : 'ArrowLeft';
      await page.waitForTimeout(100);
    }
    if (samples.length === 0) return { skipped: 'no slider press changed the lab’s settings (data-settings-version never moved).' };
    return { samples, misses, backend };
  } finally {
    await page.close();
  }
}

const server = { proc: null };
function stopServer() {
  const p = server.proc;
  if (p && p.exitCode === null && p.pid) {
    try {
      process.kill(-p.pid, 'SIGTERM'); // the npx process group: npx and the serve it started
    } catch {
      // already gone
    }
  }
  server.proc = null;
}
process.on('exit', stopServer);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    stopServer();
    process.exit(130);
  });
}

/** The 1-minute load average against the core count: other work on the machine skews every figure. */
function reportLoad(when) {
  const load = loadavg()[0];
  const cores = availableParallelism();
  const busy = load > cores * 0.75 ? ' — the machine is busy with other work, so the figures are noisier than usual' : '';
  console.log(`Load average ${when}: ${load.toFixed(1)} on ${cores} cores${busy}`);
}

const started = Date.now();
reportLoad('at start');
const port = await freePort();
const base = `http://localhost:${port}`;
server.proc = spawn('npx', ['serve', outDir, '-l', String(port), '--no-port-switching'], { cwd: root, stdio: 'ignore', detached: true });
let browser;
let exitCode = 0;
try {
  await waitForServer(`${base}/`, server.proc);
  console.log(`Serving ${args.out}/ at ${base}`);
  browser = await chromium.launch({ executablePath, args: ['--enable-unsafe-webgpu', ...quietFlags] });
  console.log(`Chromium ${browser.version()}${executablePath ? ` (${executablePath})` : ''}`);

  // The adapter, asked directly: readers must know whether these are figures from a real GPU.
  const probePage = await browser.newPage();
  await probePage.goto(`${base}/bench/`);
  const adapter = await probePage.evaluate(async () => {
    if (!navigator.gpu) return 'WebGPU: not available in this browser';
    const a = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!a) return 'WebGPU: no adapter';
    const info = a.info ?? {};
    const name = [info.vendor, info.architecture].filter(Boolean).join(' ') || 'unnamed adapter';
    const software = a.isFallbackAdapter === true || info.isFallbackAdapter === true || /swiftshader/i.test(`${info.architecture} ${info.description}`);
    return `WebGPU adapter: ${name}${software ? ' (software)' : ''}`;
  });
  await probePage.close();
  console.log(adapter);
  if (/software/.test(adapter)) console.log('Note: a software adapter emulates the GPU on the CPU; the GPU figures below are not a real graphics card’s.');
  mkdirSync(resultsDir, { recursive: true });

  // Interaction latency first, on a fresh browser page.
  let interaction = null;
  if (args['skip-interaction']) {
    console.log('\nInteraction latency: skipped (--skip-interaction).');
  } else {
    console.log(`\nInteraction latency: ${presses} presses of the bits slider on ${LESSON} …`);
    interaction = await measureInteraction(browser, base);
    if (interaction.skipped) console.log(`Interaction latency: SKIPPED — ${interaction.skipped}`);
  }

  const page = await browser.newPage();
  page.on('console', (msg) => {
    if (msg.text().startsWith('[bench]')) console.log(`  ${msg.text().slice(8)}`);
    else if (msg.type() === 'error') console.error(`  [page error] ${msg.text()}`);
  });
  page.on('pageerror', (e) => console.error(`  [page error] ${e.message}`));
  await page.goto(`${base}/bench/`);
  await page.waitForFunction(() => typeof window.lowbitBench?.run === 'function', null, { timeout: 30_000 });

  if (interaction && !interaction.skipped) {
    const s = await page.evaluate((samples) => window.lowbitBench.summarize(samples), interaction.samples);
    const labels = { webgpu: /software/.test(adapter) ? 'WebGPU (software)' : 'WebGPU', webgl: 'WebGL', cpu: 'CPU' };
    const backend = labels[interaction.backend] ?? 'unknown';
    const out = { elements: LAB_ELEMENTS, samples: s.samples, p50Ms: round(s.p50Ms), p95Ms: round(s.p95Ms), backend };
    console.log(`Interaction latency at ${LAB_ELEMENTS.toLocaleString('en-US')} elements on ${backend} (keydown → frame after the redraw):`);
    console.log(`  p50 ${fmtMs(s.p50Ms)} ms, p95 ${fmtMs(s.p95Ms)} ms, min ${fmtMs(s.minMs)}, max ${fmtMs(s.maxMs)} over ${s.samples} presses` + (interaction.misses ? ` (${interaction.misses} presses changed nothing)` : ''));
    interaction.out = out;
  }

  if (args['skip-quantize']) {
    console.log('\nQuantize benchmark: skipped (--skip-quantize).');
  } else {
    console.log(`\nQuantize benchmark: INT8 symmetric per tensor, min–max; sides ${sides.join(', ')}; ${runs} timed runs after a warm-up …`);
    const report = await page.evaluate((options) => window.lowbitBench.run(options), { sides, runs });
    console.log(`\nBackend: ${report.backend}. ${report.adapter}`);
    console.log('Median ms per run (min–max), statistics read back included:');
    const at = (impl, elements) => report.rows.find((r) => r.impl === impl && r.elements === elements);
    const cell = (row) => (row ? `${fmtMs(row.medianMs)} (${fmtMs(row.minMs)}–${fmtMs(row.maxMs)}, n=${row.runs})` : '—');
    console.table(
      report.ratios.map((r) => ({
        elements: r.elements.toLocaleString('en-US'),
        'fused-webgpu': cell(at('fused-webgpu', r.elements)),
        'tfjs-ops-webgpu': cell(at('tfjs-ops-webgpu', r.elements)),
        'cpu-reference': cell(at('cpu-reference', r.elements)),
        'tfjs-ops / fused': fmtRatio(r.tfjsOpsOverFused),
        'cpu / fused': fmtRatio(r.cpuOverFused),
      })),
    );
    console.log(
      `Agreement with the CPU reference (largest relative difference of mse, max |err|, clipped share, must be <= ${STAT_TOLERANCE}; ` +
        `error-histogram counts moved, must be <= ${HISTOGRAM_TOLERANCE} of the elements):`,
    );
    for (const c of report.checks) {
      const a = c.agreement;
      const agrees = a.max <= STAT_TOLERANCE && a.histogramMoves <= HISTOGRAM_TOLERANCE * c.elements;
      if (!agrees) exitCode = 1;
      console.log(
        `  ${agrees ? 'ok  ' : 'FAIL'} ${c.impl} at ${c.elements.toLocaleString('en-US')}: ${a.max.toExponential(2)} ` +
          `(mse ${a.mse.toExponential(1)}, maxAbs ${a.maxAbsError.toExponential(1)}, clipped ${a.clippedFraction.toExponential(1)}); ${a.histogramMoves} moved`,
      );
    }
    if (exitCode) console.log('  An implementation disagrees with the CPU reference: its timings measure a wrong result (exit code 1).');
    for (const n of report.notes) console.log(`  Note: ${n}`);
    const rows = report.rows.map((r) => ({ ...r, medianMs: round(r.medianMs), minMs: round(r.minMs), maxMs: round(r.maxMs) }));
    writeFileSync(join(resultsDir, 'quantize.json'), JSON.stringify(rows, null, 2) + '\n');
    console.log(`Wrote ${join('bench', 'results', 'quantize.json')}`);
  }

  let trainReports = null;
  if (args['skip-train']) {
    console.log('\nTraining benchmark: skipped (--skip-train).');
  } else {
    const trainSteps = Number(args['train-steps']);
    console.log(`\nTraining benchmark: LoRA (FP32 base) and QLoRA (NF4 + DQ base), r 8, all Linear layers; full fine-tuning and QAT (4-bit per row); ${trainSteps} timed steps per mode after 2 warm-up steps, on each backend …`);
    const reports = [];
    for (const backend of ['webgpu', 'webgl', 'cpu']) {
      const tp = await browser.newPage();
      tp.on('console', (msg) => { if (msg.text().startsWith('[bench]')) console.log(`  ${backend}: ${msg.text().slice(8)}`); });
      try {
        await tp.goto(`${base}/bench/?backend=${backend}`);
        await tp.waitForFunction(() => typeof window.lowbitBench?.train === 'function', null, { timeout: 30_000 });
        const r = await tp.evaluate((steps) => window.lowbitBench.train({ steps }), trainSteps);
        reports.push({ requested: backend, ...r });
      } catch (e) {
        console.log(`  ${backend}: failed — ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        await tp.close();
      }
    }
    console.table(reports.flatMap((r) => r.rows.map((row) => ({
      backend: r.backend, mode: row.mode, 'median ms/step': fmtMs(row.medianMs), 'min–max': `${fmtMs(row.minMs)}–${fmtMs(row.maxMs)}`,
      'steps/s': row.stepsPerSecond.toFixed(2), 'chars/s': row.tokensPerSecond.toFixed(0), 'base bytes': row.baseBytes.toLocaleString('en-US'),
    }))));
    const x = (v) => (v === null ? '—' : `${v.toFixed(2)}×`);
    for (const r of reports) console.log(`  ${r.backend}: QLoRA / LoRA step time = ${x(r.qloraOverLora)} (target < 1.3); QAT / full = ${x(r.qatOverFull)} (target ≤ 1.3 on WebGPU)`);
    const out = reports.map((r) => ({ ...r, qloraOverLora: r.qloraOverLora === null ? null : round(r.qloraOverLora), qatOverFull: r.qatOverFull === null ? null : round(r.qatOverFull), rows: r.rows.map((row) => ({ ...row, medianMs: round(row.medianMs), minMs: round(row.minMs), maxMs: round(row.maxMs), stepsPerSecond: round(row.stepsPerSecond), tokensPerSecond: round(row.tokensPerSecond) })) }));
    writeFileSync(join(resultsDir, 'train.json'), JSON.stringify(out, null, 2) + '\n');
    console.log(`Wrote ${join('bench', 'results', 'train.json')}`);
    trainReports = reports;
  }

  if (args['skip-serving']) {
    console.log('\nServing: skipped (--skip-serving).');
  } else {
    await measureServing(browser, base, adapter, trainReports);
  }

  if (interaction?.out) {
    writeFileSync(join(resultsDir, 'interaction.json'), JSON.stringify(interaction.out, null, 2) + '\n');
    console.log(`Wrote ${join('bench', 'results', 'interaction.json')}`);
  } else if (!args['skip-interaction']) {
    console.log('bench/results/interaction.json not written: the interaction latency was skipped (see above).');
  }
} catch (e) {
  console.error(`Benchmark failed: ${e instanceof Error ? e.message : String(e)}`);
  exitCode = 1;
} finally {
  await browser?.close();
  stopServer();
  reportLoad('at the end');
  console.log(`Total ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
process.exit(exitCode);

function round(t) {
  return Math.round(t * 100) / 100;
}

/** scripts/native-reference.py's JSON, from the first Python that has torch; { report: null, message } otherwise. */
function runNative(steps) {
  const script = join(root, 'scripts', 'native-reference.py');
  const candidates = [...new Set([process.env.PYTHON, '/usr/bin/python3', 'python3'].filter(Boolean))];
  const messages = [];
  for (const py of candidates) {
    const r = spawnSync(py, [script, '--steps', String(steps)], { cwd: root, encoding: 'utf8', timeout: 900_000, maxBuffer: 1 << 24 });
    if (r.error) {
      messages.push(`${py}: ${r.error.code === 'ENOENT' ? 'not found' : r.error.message}`);
      continue;
    }
    let report = null;
    try {
      report = JSON.parse(r.stdout);
    } catch {
      messages.push(`${py}: exit ${r.status}, ${(r.stderr || r.stdout).trim().split('\n').pop()}`);
      continue;
    }
    if (report.skipped) {
      messages.push(`${py}: ${report.skipped}`);
      continue;
    }
    return { report, message: `${py}, torch ${report.torch}, ${report.threads} thread(s)` };
  }
  return { report: null, message: messages.join('; ') };
}

/** Seconds from a click on `button` inside `widget` until the widget's `attribute` satisfies `done`, timed in the page. */
async function timeInPage(page, { widget, button, until, timeoutMs }) {
  const w = page.locator(`[data-testid="${widget}"]`).first();
  await w.scrollIntoViewIfNeeded();
  // The widget loads near the screen and hydrates: wait for its button before listening for the click.
  const b = w.locator(`[data-testid="${button}"]`);
  await b.waitFor({ state: 'visible', timeout: 60_000 });
  await page.waitForFunction(({ widget, button }) => {
    const el = document.querySelector(`[data-testid="${widget}"] [data-testid="${button}"]`);
    return el !== null && !el.disabled && document.querySelector(`[data-testid="${widget}"]`)?.getAttribute('data-hydrated') === 'true';
  }, { widget, button }, { timeout: 60_000 });
  await page.evaluate(({ widget, button }) => {
    const b = document.querySelector(`[data-testid="${widget}"] [data-testid="${button}"]`);
    window.__lowbitClick = null;
    b.addEventListener('click', () => { window.__lowbitClick = performance.now(); }, { capture: true, once: true });
  }, { widget, button });
  await w.locator(`[data-testid="${button}"]`).click();
  await page.waitForFunction(until, widget, { timeout: timeoutMs, polling: 200 });
  return page.evaluate(() => (performance.now() - window.__lowbitClick) / 1000);
}

/** Step 7: bench/results/serving.json. */
async function measureServing(browser, base, adapter, trainReports) {
  const trainSteps = Number(args['train-steps']);
  console.log('\nServing: the native yardstick (scripts/native-reference.py, PyTorch on the CPU) …');
  const { report, message } = runNative(Math.max(trainSteps, 5));
  const native = nativeSummary(report);
  console.log(native ? `  ${message}` : `  native: null — ${message || 'no Python with torch'} (install python3-torch for the yardstick)`);

  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error(`  [page error] ${e.message}`));
  let decode = [];
  try {
    await page.goto(`${base}/bench/`);
    await page.waitForFunction(() => typeof window.lowbitBench?.train === 'function', null, { timeout: 30_000 });
    if (await page.evaluate(() => typeof window.lowbitBench.decode === 'function')) {
      console.log('Serving: window.lowbitBench.decode() …');
      const d = await page.evaluate(() => window.lowbitBench.decode());
      decode = d.decode ?? [];
      if (d.dispatchesPerToken !== undefined) console.log(`  dispatches per token: ${JSON.stringify(d.dispatchesPerToken)}`);
    } else {
      console.log('Serving: /bench/ has no window.lowbitBench.decode() yet: decode: [].');
    }
  } finally {
    await page.close();
  }

  let reports = trainReports;
  if (!reports) {
    console.log(`Serving: LoRA and QLoRA steps on each backend (${trainSteps} timed after 2 warm-up) …`);
    reports = [];
    for (const backend of ['webgpu', 'webgl', 'cpu']) {
      const tp = await browser.newPage();
      try {
        await tp.goto(`${base}/bench/?backend=${backend}`);
        await tp.waitForFunction(() => typeof window.lowbitBench?.train === 'function', null, { timeout: 30_000 });
        reports.push(await tp.evaluate((steps) => window.lowbitBench.train({ steps, modes: ['lora', 'qlora'] }), trainSteps));
      } catch (e) {
        console.log(`  ${backend}: failed — ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        await tp.close();
      }
    }
  }

  // The fused batch kernels (attention, GELU, layer norm) against tfjs ops, side by side on WebGPU.
  const fp = await browser.newPage();
  try {
    await fp.goto(`${base}/bench/?backend=webgpu`);
    await fp.waitForFunction(() => typeof window.lowbitBench?.train === 'function', null, { timeout: 30_000 });
    const r = await fp.evaluate((steps) => window.lowbitBench.train({ steps, modes: ['lora'], batchOps: 'both' }), trainSteps);
    const [fused, ops] = ['auto', 'ops'].map((b) => r.rows.find((row) => row.batchOps === b)?.medianMs);
    if (fused && ops) console.log(`Serving: LoRA step on ${r.backend} with the fused batch kernels ${fused.toFixed(0)} ms, with tfjs ops ${ops.toFixed(0)} ms (${(fused / ops).toFixed(2)}×, stepping in turn)`);
  } catch (e) {
    console.log(`  fused batch kernels vs tfjs ops: failed — ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    await fp.close();
  }

  let comparisonSeconds = null;
  const cp = await browser.newPage();
  try {
    console.log('Serving: the quantized-inference lesson’s six-format comparison, as a learner runs it …');
    await cp.goto(`${base}/lessons/quantized-inference/`);
    comparisonSeconds = await timeInPage(cp, {
      widget: 'inference-widget', button: 'inference-run', timeoutMs: 900_000,
      until: (id) => ['done', 'error'].includes(document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-state') ?? ''),
    });
    const state = await cp.locator('[data-testid="inference-widget"]').first().getAttribute('data-state');
    if (state !== 'done') {
      console.log(`  the comparison ended in state ${state}; comparisonSeconds: null`);
      comparisonSeconds = null;
    }
  } catch (e) {
    console.log(`  comparison failed — ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    await cp.close();
  }

  let firstStepSeconds = null;
  const qp = await browser.newPage();
  try {
    console.log('Serving: Start → first step of the QLoRA lesson’s trainer on WebGPU …');
    await qp.goto(`${base}/lessons/qlora/?backend=webgpu&qlora.steps=10`);
    await timeInPage(qp, {
      widget: 'qlora-widget', button: 'qlora-start', timeoutMs: 900_000,
      until: (id) => document.querySelector(`[data-testid="${id}"]`)?.hasAttribute('data-first-step-ms'),
    });
    const ms = Number(await qp.locator('[data-testid="qlora-widget"]').first().getAttribute('data-first-step-ms'));
    firstStepSeconds = ms / 1000;
  } catch (e) {
    console.log(`  first step failed — ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    await qp.close();
  }

  const result = servingResult({ adapter, native, decode, train: trainRows(reports), comparisonSeconds, firstStepSeconds });
  console.log(`Six-format comparison: ${result.comparisonSeconds ?? '—'} s; QLoRA Start → first step: ${result.firstStepSeconds ?? '—'} s`);
  console.table(servingRatios(result).map((r) => ({
    what: r.what,
    browser: r.browser === null ? '—' : `${fmtMs(r.browser)} ${r.unit}`,
    native: r.native === null ? '—' : `${fmtMs(r.native)} ${r.unit}`,
    'browser / native': r.ratio === null ? '—' : `${r.ratio.toFixed(r.ratio >= 10 ? 0 : 2)}×`,
    ...(r.ratioNoCache !== undefined ? { 'browser / native without KV cache': r.ratioNoCache === null ? '—' : `${r.ratioNoCache.toFixed(2)}×` } : {}),
  })));
  writeFileSync(join(resultsDir, 'serving.json'), JSON.stringify(result, null, 2) + '\n');
  console.log(`Wrote ${join('bench', 'results', 'serving.json')}`);
}
