import rawConfig from '@/public/models/kjv-char-4l/config.json';
import { shortNumber } from '@/lib/formats/display';
import { parseTinyLMConfig } from '@/lib/model/config';
import { AWQ_SAMPLE_ROWS, CALIBRATION_WINDOWS } from '@/lib/model/methods-engine';
import { gptq, gptqProxyLoss, gptqRoundToNearest } from '@/lib/quant/gptq';

/**
 * Figures for the GPTQ and AWQ lesson, computed by lib/quant and the shipped model's config
 * (docs/design.md, rule 7: never typed by hand).
 */
const parsed = parseTinyLMConfig(rawConfig);
if (!parsed.ok) throw new Error(`public/models/kjv-char-4l/config.json: ${parsed.error}`);
const config = parsed.config;

/** A worked example: one row of four weights, inputs so correlated that H is far from diagonal. */
const EXAMPLE_W = [0.2, -0.45, 0.36, 0.8];
const EXAMPLE_H = [
  [2.0, 1.7, 0.4, 0.1],
  [1.7, 2.0, 0.6, 0.2],
  [0.4, 0.6, 1.0, 0.5],
  [0.1, 0.2, 0.5, 1.2],
].flat();
const EXAMPLE_BITS = 3;
const exampleRtn = gptqRoundToNearest(EXAMPLE_W, [1, 4], { bits: EXAMPLE_BITS });
const exampleGptq = gptq(EXAMPLE_W, [1, 4], EXAMPLE_H, { bits: EXAMPLE_BITS, dampPercent: 0 });
const list = (v: ArrayLike<number>) => Array.from(v, (x) => shortNumber(x, 3)).join(', ');

const EXAMPLE = {
  w: list(EXAMPLE_W),
  bits: String(EXAMPLE_BITS),
  rtn: list(exampleRtn.weight),
  gptq: list(exampleGptq.weight),
  rtnLoss: shortNumber(gptqProxyLoss(EXAMPLE_W, exampleRtn.weight, [1, 4], EXAMPLE_H), 3),
  gptqLoss: shortNumber(gptqProxyLoss(EXAMPLE_W, exampleGptq.weight, [1, 4], EXAMPLE_H), 3),
};

/** `<GptqExample show="rtnLoss" />`: a number of the worked four-weight example (lib/quant gptq, gptqRoundToNearest, gptqProxyLoss). */
export function GptqExample({ show }: { show: keyof typeof EXAMPLE }) {
  return <span className="figure">{EXAMPLE[show]}</span>;
}

/** The tiny model's Linear layers: how many, and their input widths (the Hessians' sizes). */
const LINEAR = {
  layers: config.n_layer * 4,
  narrow: config.n_embd,
  wide: 4 * config.n_embd,
  wideEntries: (4 * config.n_embd) ** 2,
  calibrationWindows: CALIBRATION_WINDOWS.default,
  calibrationChars: CALIBRATION_WINDOWS.default * config.block_size,
  awqRows: AWQ_SAMPLE_ROWS,
};

/** `<MethodFact fact="layers" />` → 16: facts of the tiny model and of the lesson's calibration. */
export function MethodFact({ fact }: { fact: keyof typeof LINEAR }) {
  return <span className="figure">{LINEAR[fact].toLocaleString('en-US')}</span>;
}


/** The quiz's answers, computed here so that the MDX types no figure. */
