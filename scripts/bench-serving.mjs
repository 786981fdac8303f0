/**
 * Pure helpers of `npm run bench`'s serving part (scripts/bench.mjs): the native yardstick's JSON
 * (scripts/native-reference.py) reduced to the contract's `native`, the contract object of
 * bench/results/serving.json, and the browser-against-native ratios printed side by side.
 *
 * serving.json: { adapter, native: { decodeTokensPerSecond, loraStepMs, ... } | null,
 *   decode: [{ format, tokensPerSecond, bytesPerToken }], train: [{ backend, mode, stepMs }],
 *   comparisonSeconds, firstStepSeconds }
 */

/**
 * The contract's `native` from native-reference.py's output (parsed JSON): decodeTokensPerSecond is
 * the KV-cached greedy decode, decodeTokensPerSecondNoCache the uncached one; loraStepMs and
 * qloraStepMs the median training steps. null when the script skipped (no torch) or printed
 * something else.
 */
export function nativeSummary(report) {
  if (!report || typeof report !== 'object' || report.skipped) return null;
  const cached = report.decode?.kvCache?.tokensPerSecond;
  const uncached = report.decode?.noCache?.tokensPerSecond;
  const lora = report.train?.lora?.medianMs;
  const qlora = report.train?.qlora?.medianMs;
  if (![cached, uncached, lora].every((v) => typeof v === 'number' && Number.isFinite(v))) return null;
  return {
    decodeTokensPerSecond: cached,
    decodeTokensPerSecondNoCache: uncached,
    loraStepMs: lora,
    qloraStepMs: typeof qlora === 'number' ? qlora : null,
    torch: report.torch ?? null,
    threads: report.threads ?? null,
  };
}

/**
 * The train rows of the contract from the training benchmark's reports (lib/bench/train-bench
 * TrainBenchReport, one per backend): one { backend, mode, stepMs } per LoRA and QLoRA row.
 */
export function trainRows(reports) {
  return reports.flatMap((r) => r.rows.filter((row) => row.mode === 'lora' || row.mode === 'qlora').map((row) => ({ backend: r.backend, mode: row.mode, stepMs: row.medianMs })));
}

/** The serving.json object, every figure rounded to 2 decimals (tokens per second, ms, bytes, seconds). */
export function servingResult({ adapter, native, decode, train, comparisonSeconds, firstStepSeconds }) {
  const r = (v) => (typeof v === 'number' && Number.isFinite(v) ? Math.round(v * 100) / 100 : null);
  return {
    adapter,
    native: native ? Object.fromEntries(Object.entries(native).map(([k, v]) => [k, typeof v === 'number' ? r(v) : v])) : null,
    // `format` as lesson 7 names it (lowbitBench.decode's label: FP32, FP16, BF16, INT8, INT4, NF4), with the path and dispatches per token.
    decode: decode.map((d) => ({
      format: d.label ?? d.format,
      tokensPerSecond: r(d.tokensPerSecond),
      bytesPerToken: r(d.bytesPerToken),
      ...(d.decodePath ? { decodePath: d.decodePath, dispatchesPerToken: d.dispatchesPerToken ?? null } : {}),
    })),
    train: train.map((t) => ({ backend: t.backend, mode: t.mode, stepMs: r(t.stepMs) })),
    comparisonSeconds: r(comparisonSeconds),
    firstStepSeconds: r(firstStepSeconds),
  };
}

/**
 * Rows comparing the browser with the native yardstick: each training step as a multiple of the
 * native step of the same mode (QLoRA against the native QLoRA-like step when there is one), and
 * each decode format's tokens per second as a fraction of native's cached and uncached decode.
 * Ratios are null without a native figure.
 */
export function servingRatios(result) {
  const n = result.native;
  const div = (a, b) => (typeof a === 'number' && typeof b === 'number' && b > 0 ? a / b : null);
  const train = result.train.map((t) => ({
    what: `${t.mode} step on ${t.backend}`,
    browser: t.stepMs,
    native: n ? (t.mode === 'qlora' && n.qloraStepMs ? n.qloraStepMs : n.loraStepMs) : null,
    unit: 'ms',
  }));
  const decode = result.decode.map((d) => ({
    what: `decode ${d.format}`,
    browser: d.tokensPerSecond,
    native: n ? n.decodeTokensPerSecond : null,
    nativeNoCache: n ? n.decodeTokensPerSecondNoCache : null,
    unit: 'tokens/s',
  }));
  return [
    ...train.map((row) => ({ ...row, ratio: div(row.browser, row.native), reading: 'times native' })),
    ...decode.map((row) => ({ ...row, ratio: div(row.browser, row.native), ratioNoCache: div(row.browser, row.nativeNoCache), reading: 'of native' })),
  ];
}
