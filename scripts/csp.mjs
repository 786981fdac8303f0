#!/usr/bin/env node
/**
 * Content-Security-Policy for the static export. `next build` with `output: 'export'` inlines a few
 * scripts in every page (the RSC payload, `self.__next_f.push(…)`, and Turbopack's chunk list), so a
 * policy without 'unsafe-inline' must list their SHA-256 hashes, which differ from page to page.
 * This script, run by `npm run build` after `next build`, writes into every HTML file of out/ a
 *   <meta http-equiv="Content-Security-Policy" content="…">
 * right after <meta charset> (before any script or stylesheet), with the hashes of that page's
 * inline scripts, and writes out/serve.json: the headers `serve` (npm start, the e2e server) sends
 * with every file, for what a meta tag cannot say (frame-ancestors) — see README, "Hosting elsewhere".
 * Running it twice gives the same files (an existing CSP meta is replaced).
 *
 * Usage: node scripts/csp.mjs [outDir=out]
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The policy, directive by directive; `script-src` gets each page's hashes appended.
 * - script-src 'wasm-unsafe-eval': tfjs-core bundles long.js, which compiles a tiny WebAssembly
 *   module for 64-bit multiplication; without it every page that loads tfjs logs a CSP violation.
 *   It allows WebAssembly compilation only, not eval() or new Function() (tfjs uses neither).
 * - style-src-attr 'unsafe-inline': KaTeX's HTML sets sizes and offsets in style="" attributes.
 * - style-src-elem 'unsafe-inline': the notebook's editor (CodeMirror 6, through style-mod) writes
 *   its stylesheet into a <style> element at run time; a static site cannot hand out the per-response
 *   nonce style-mod would need, and the sheet's text grows as editor features mount, so no fixed
 *   hash fits. Styles cannot run code. Browsers without CSP level 3's -elem/-attr split fall back to
 *   style-src, which says the same.
 * - img-src data: blob: — SVG/canvas images made in the page and files offered for download.
 * - worker-src 'self' — the QLoRA trainer's worker is a file under /_next/static.
 */
export const POLICY = {
  'default-src': ["'self'"],
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'style-src-elem': ["'self'", "'unsafe-inline'"],
  'style-src-attr': ["'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'worker-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
};

/** Headers for every response; frame-ancestors cannot be set by a meta tag. */
export const HEADERS = {
  'Content-Security-Policy': "frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
};

/** The text of every inline <script> (one without src) in an HTML document, in order. */
export function inlineScripts(html) {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)]
    .filter((m) => !/\bsrc\s*=/i.test(m[1]) && m[2].length > 0)
    .map((m) => m[2]);
}

/** CSP source expression for a script: 'sha256-' + base64(SHA-256(UTF-8 text)), as browsers hash it. */
export function scriptHash(text) {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** The policy string for a page whose inline scripts are `scripts`. */
export function policyFor(scripts) {
  const hashes = [...new Set(scripts.map(scriptHash))];
  return Object.entries(POLICY)
    .map(([name, values]) => [name, ...values, ...(name === 'script-src' ? hashes : [])].join(' '))
    .join('; ');
}

const META_RE = /<meta http-equiv="Content-Security-Policy" content="[^"]*"\/?>/i;

/** The page with its CSP meta tag added (or replaced) right after <meta charset>, else after <head>. */
export function withCspMeta(html) {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${policyFor(inlineScripts(html))}"/>`;
  if (META_RE.test(html)) return html.replace(META_RE, meta);
  const charset = /<meta charset="[^"]*"\/?>/i.exec(html);
  if (charset) return html.slice(0, charset.index + charset[0].length) + meta + html.slice(charset.index + charset[0].length);
  const head = /<head[^>]*>/i.exec(html);
  if (!head) throw new Error('no <head> to put the CSP meta tag in');
  return html.slice(0, head.index + head[0].length) + meta + html.slice(head.index + head[0].length);
}

/** serve's configuration (https://github.com/vercel/serve-handler#options): HEADERS on every path. */
export function serveConfig() {
  return {
    headers: [{ source: '**', headers: Object.entries(HEADERS).map(([key, value]) => ({ key, value })) }],
  };
}

function htmlFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === '_next' ? [] : htmlFiles(p);
    return name.endsWith('.html') ? [p] : [];
  });
}

function main() {
  const outDir = process.argv[2] ?? 'out';
  const files = htmlFiles(outDir);
  if (files.length === 0) throw new Error(`no HTML files in ${outDir}/: run next build first`);
  let scripts = 0;
  for (const file of files) {
    const html = readFileSync(file, 'utf8');
    scripts += inlineScripts(html).length;
    writeFileSync(file, withCspMeta(html));
  }
  writeFileSync(join(outDir, 'serve.json'), `${JSON.stringify(serveConfig(), null, 2)}\n`);
  console.log(`CSP: ${files.length} pages in ${relative(process.cwd(), outDir) || '.'}/ with the hashes of ${scripts} inline scripts; ${outDir}/serve.json written`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
