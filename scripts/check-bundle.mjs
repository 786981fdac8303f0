#!/usr/bin/env node
/**
 * Measures the first-load JavaScript of each exported page (the <script src> chunks its HTML
 * loads before any interaction, less the noModule polyfills modern browsers skip), gzipped, and checks that tfjs is not among them: tfjs must load
 * only by dynamic import when a widget needs it (docs/design.md rule 8). Next 16 no longer prints
 * per-route sizes, so this script is the report. Exits 1 when a page is over budget or has tfjs.
 *
 * Usage: node scripts/check-bundle.mjs [outDir=out] [budgetKB=200]
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

const outDir = process.argv[2] ?? 'out';
const budgetKB = Number(process.argv[3] ?? 200);
// Strings that occur in tfjs-core and its backends' bundles and nowhere else in the site.
const TFJS_MARKERS = ['WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE', 'WEBGL_RENDER_FLOAT32_CAPABLE', 'tfjs-core', 'Backend name \''];

function htmlFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === '_next' ? [] : htmlFiles(p);
    return name.endsWith('.html') ? [p] : [];
  });
}

let failed = false;
const rows = [];
for (const file of htmlFiles(outDir)) {
  const html = readFileSync(file, 'utf8');
  // noModule scripts (Next's legacy polyfills) are skipped by every browser with ES modules.
  const srcs = [...new Set([...html.matchAll(/<script([^>]+)>/g)]
    .filter((m) => !/\bnoModule\b/i.test(m[1]))
    .map((m) => /src="([^"]+\.js)"/.exec(m[1])?.[1])
    .filter(Boolean))];
  let raw = 0, gz = 0;
  const tfjs = [];
  for (const src of srcs) {
    const code = readFileSync(join(outDir, src.replace(/^\//, '')));
    raw += code.length;
    gz += gzipSync(code, { level: 9 }).length;
    const text = code.toString('utf8');
    if (TFJS_MARKERS.some((m) => text.includes(m))) tfjs.push(src);
  }
  const page = '/' + relative(outDir, file).replace(/index\.html$/, '').replace(/\.html$/, '');
  const over = gz / 1024 > budgetKB;
  if (over || tfjs.length) failed = true;
  rows.push({ page, chunks: srcs.length, rawKB: (raw / 1024).toFixed(1), gzipKB: (gz / 1024).toFixed(1), tfjs: tfjs.length ? tfjs.join(' ') : 'no', verdict: over ? `over ${budgetKB} KB` : 'ok' });
}
console.log(`First-load JS per page (gzip -9), budget ${budgetKB} KB, tfjs must not be in it:`);
console.table(rows);
if (failed) {
  console.error('Bundle check failed: a page is over budget or loads tfjs up front.');
  process.exit(1);
}
