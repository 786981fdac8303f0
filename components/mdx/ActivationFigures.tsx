import { shortNumber } from '@/lib/formats/display';
import { quantizeActivations } from '@/lib/quant/activation-quant';
import { llmInt8Matmul } from '@/lib/quant/llm-int8';
import { smoothQuantScales } from '@/lib/quant/smoothquant';

/**
 * Figures for the lesson "Activations and outliers", computed at build time by lib/quant on a small
 * example (docs/design.md rule 7: never typed by hand). X is 3 tokens × 4 channels whose channel 2
 * is an outlier feature, as in large models; W is 2 × 4.
 */
const X = [0.5, -1.2, 42, 0.8, -0.9, 0.3, -38, 1.1, 1.4, -0.6, 45, -0.2];
const X_SHAPE: [number, number] = [3, 4];
const W = [0.2, -0.1, 0.05, 0.3, -0.4, 0.25, -0.02, 0.1];
const W_SHAPE: [number, number] = [2, 4];

function rmsErrorOnNormalChannels(values: ArrayLike<number>): number {
  let s = 0, n = 0;
  for (let i = 0; i < X.length; i++) if (i % 4 !== 2) { s += (values[i] - X[i]) ** 2; n++; }
  return Math.sqrt(s / n);
}

const perTensor = quantizeActivations(X, X_SHAPE, { granularity: 'per-tensor' });
const perToken = quantizeActivations(X, X_SHAPE, { granularity: 'per-token' });

/** The example's X as a small table. */
export function OutlierExampleTable() {
  return (
    <div className="table-scroll">
      <table className="compact-table">
        <caption>X: 3 tokens × 4 channels; channel 2 is an outlier feature</caption>
        <thead>
          <tr><th scope="col">token</th>{[0, 1, 2, 3].map((j) => <th key={j} scope="col">x₍·{j}₎</th>)}</tr>
        </thead>
        <tbody>
          {[0, 1, 2].map((t) => (
            <tr key={t}><th scope="row">{t}</th>{[0, 1, 2, 3].map((j) => <td key={j}>{X[t * 4 + j]}</td>)}</tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Step (scale) of the example's int8 grid: per tensor, or per token for token `token`. */
export function ExampleStep({ granularity, token = 0 }: { granularity: 'per-tensor' | 'per-token'; token?: number }) {
  const s = granularity === 'per-tensor' ? perTensor.scale[0] : perToken.scale[token];
  return <span className="figure">{shortNumber(s, 3)}</span>;
}

/** RMS error of the ordinary channels (not the outlier) after int8 quantization of the example's X. */
export function ExampleNormalError({ granularity }: { granularity: 'per-tensor' | 'per-token' }) {
  return <span className="figure">{shortNumber(rmsErrorOnNormalChannels(granularity === 'per-tensor' ? perTensor.values : perToken.values), 3)}</span>;
}

/** How many of the ordinary channels' values round to code 0 under per-token scales. */
export function ExampleZeroCodes() {
  let zeros = 0, n = 0;
  for (let i = 0; i < X.length; i++) if (i % 4 !== 2) { n++; if (perToken.q[i] === 0) zeros++; }
  return <span className="figure">{zeros} of {n}</span>;
}

/** LLM.int8() on the example at threshold 6: the columns it keeps in float and the largest output error. */
export function ExampleDecomposition({ what }: { what: 'columns' | 'error' | 'int8-error' }) {
  const exact = new Float64Array(6);
  for (let i = 0; i < 3; i++) for (let k = 0; k < 2; k++) for (let j = 0; j < 4; j++) exact[i * 2 + k] += X[i * 4 + j] * W[k * 4 + j];
  const maxErr = (y: ArrayLike<number>) => Math.max(...Array.from(exact, (v, i) => Math.abs(y[i] - v)));
  if (what === 'columns') return <span className="figure">{llmInt8Matmul(X, X_SHAPE, W, W_SHAPE, { threshold: 6 }).outlierColumns.join(', ')}</span>;
  const y = llmInt8Matmul(X, X_SHAPE, W, W_SHAPE, { threshold: what === 'error' ? 6 : Infinity }).y;
  return <span className="figure">{shortNumber(maxErr(y), 2)}</span>;
}

/** SmoothQuant's scale for one channel: s = max|X_j|^α / max|W_j|^(1−α). */
export function SmoothScale({ xMax, wMax, alpha }: { xMax: number; wMax: number; alpha: number }) {
  return <span className="figure">{shortNumber(smoothQuantScales([xMax], [{ w: [wMax], shape: [1, 1] }], alpha)[0], 4)}</span>;
}

