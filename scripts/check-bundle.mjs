#!/usr/bin/env node
/**
 * Measures the first-load JavaScript of each exported page (the <script src> chunks its HTML
 * loads before any interaction, less the noModule polyfills modern browsers skip, plus the chunks
 * it preloads with <link rel="preload" as="script">: the code of the widgets its lesson renders,
 * components/mdx/widgets.tsx), gzipped, and checks that tfjs is not among them: tfjs must load
 * only by dynamic import when a widget needs it (docs/design.md rule 8). Next 16 no longer prints
 * per-route sizes, so this script is the report. Also checks that every lesson of the index
 * (content/lessons/index.ts) has its page. Exits 1 when a page is over budget, has tfjs, or is
 * missing.
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
  const scripts = [...html.matchAll(/<script([^>]+)>/g)]
    .filter((m) => !/\bnoModule\b/i.test(m[1]))
    .map((m) => /src="([^"]+\.js)"/.exec(m[1])?.[1]);
  const preloads = [...html.matchAll(/<link([^>]+)>/g)]
    .filter((m) => /\brel="preload"/.test(m[1]) && /\bas="script"/.test(m[1]))
    .map((m) => /href="([^"]+\.js)"/.exec(m[1])?.[1]);
  const srcs = [...new Set([...scripts, ...preloads].filter(Boolean))];
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
// The lesson index's slugs, read from its source (this script runs without a TypeScript loader).
const slugs = [...readFileSync('content/lessons/index.ts', 'utf8').matchAll(/^\s*slug: '([a-z0-9-]+)',$/gm)].map((m) => m[1]);
const pages = new Set(rows.map((r) => r.page));
const missing = slugs.filter((slug) => !pages.has(`/lessons/${slug}/`));
if (slugs.length === 0 || missing.length > 0) failed = true;
console.log(`First-load JS per page (gzip -9), budget ${budgetKB} KB, tfjs must not be in it:`);
console.table(rows);
if (slugs.length === 0) console.error('No lesson slugs found in content/lessons/index.ts.');
if (missing.length > 0) console.error(`Lessons of the index with no page in ${outDir}: ${missing.join(', ')}`);
if (failed) {
  console.error('Bundle check failed: a page is over budget, loads tfjs up front, or is missing.');
  process.exit(1);
}
