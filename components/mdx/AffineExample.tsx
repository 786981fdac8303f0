import type { CSSProperties } from 'react';
import { dequantizeAffine, quantizeAffine, roundHalfEven } from '@/lib/quant/affine';
import { shortNumber } from '@/lib/formats/display';
import { scaledByInverse } from '@/lib/quant/affine';
import { figureQParams, observedRange } from './QuantFigures';
import { ScrollRegion } from '@/components/ui/ScrollRegion';

const num: CSSProperties = { textAlign: 'right', fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' };

/**
 * A worked example of affine quantization, every number computed by lib/quant/affine: the
 * observer's scale and zero-point for the range of `x`, then for each value x/s (as PyTorch
 * computes it, x × (1/s) in float32), its rounding half to even, the clamped code q, the
 * dequantized x̂ = s(q − z) and the error x̂ − x.
 * `<AffineExample x={[-1, 0, 0.5, 2]} bits={8} signed={false} symmetric={false} />`.
 */
export function AffineExample({ x, bits, signed, symmetric, caption }: {
  x: readonly number[];
  bits: number;
  signed: boolean;
  symmetric: boolean;
  caption?: string;
}) {
  const p = figureQParams({ x, bits, signed, symmetric });
  const range = observedRange({ x });
  const values = Float32Array.from(x);
  const q = quantizeAffine(values, p.scale, p.zeroPoint, p.qmin, p.qmax);
  const xhat = dequantizeAffine(q, p.scale, p.zeroPoint);
  const name = `${signed ? 'signed' : 'unsigned'} ${bits}-bit ${symmetric ? 'symmetric' : 'affine'}`;
  return (
    <figure className="affine-example" data-testid="affine-example">
      <p>
        <strong>{name}</strong>, codes {shortNumber(p.qmin)} … {shortNumber(p.qmax)}. The values run from{' '}
        {shortNumber(range.min)} to {shortNumber(range.max)}, so{' '}
        <span className="figure" data-testid="affine-example-scale">s = {shortNumber(p.scale, 8)}</span> and{' '}
        <span className="figure" data-testid="affine-example-zero-point">z = {p.zeroPoint}</span>.
      </p>
      <ScrollRegion label={`Values and codes, ${name}`}>
        <table>
          <thead>
            <tr>
              <th scope="col">x</th>
              <th scope="col">x / s</th>
              <th scope="col">rounded</th>
              <th scope="col">q (+ z, clamped)</th>
              <th scope="col">x̂ = s(q − z)</th>
              <th scope="col">error x̂ − x</th>
            </tr>
          </thead>
          <tbody>
            {Array.from(values, (v, i) => {
              const scaled = scaledByInverse(v, p.scale);
              const rounded = roundHalfEven(scaled);
              const clamped = rounded + p.zeroPoint !== q[i];
              return (
                <tr key={i}>
                  <td style={num}>{shortNumber(v, 8)}</td>
                  <td style={num}>{shortNumber(scaled, 8)}</td>
                  <td style={num}>{shortNumber(rounded)}</td>
                  <td style={num}>
                    {shortNumber(q[i])}
                    {clamped ? ' (clamped)' : ''}
                  </td>
                  <td style={num}>{shortNumber(xhat[i], 8)}</td>
                  <td style={num}>{shortNumber(xhat[i] - v, 3)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </ScrollRegion>
      <figcaption className="widget-caption">
        {caption ?? 'Computed live with the course’s quantizer.'} x / s is computed as PyTorch does it, x × (1/s) in float32, and rounded
        half to even.
      </figcaption>
    </figure>
  );
}
