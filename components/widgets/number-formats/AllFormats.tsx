'use client';

import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';
import { WidgetError } from '@/components/widget-kit/WidgetError';
import { useParsedInput } from '@/components/ui/useParsedInput';
import { FLOAT_FORMATS, floatFormatInfo, roundingInfo } from '@/lib/formats';
import { FLOAT_FORMAT_LABELS, exactDecimal, hexCode, shortNumber } from '@/lib/formats/display';
import { parseNumberInput } from '@/lib/formats/parse';
import { ScrollRegion } from '@/components/ui/ScrollRegion';

/** One number stored in every float format at once: its code, stored value and error in each. */
export function AllFormats({ initialValue = '3.14159' }: { initialValue?: string }) {
  const input = useParsedInput(initialValue, parseNumberInput, Math.PI);
  const x = input.value;
  return (
    <WidgetFrame title="One number, every format" testId="all-formats">
      <div className="controls">
        <label className="control">
          <span>Number</span>
          <input type="text" inputMode="decimal" value={input.text} onChange={(e) => input.change(e.target.value)} aria-invalid={input.error !== null} data-testid="all-formats-input" size={16} />
        </label>
      </div>
      {input.error && <WidgetError>{input.error} Showing {shortNumber(x)}.</WidgetError>}
      <ScrollRegion label="The number in every format">
        <table data-testid="all-formats-table">
          <thead>
            <tr>
              <th scope="col">Format</th>
              <th scope="col">Bits</th>
              <th scope="col">Stored value</th>
              <th scope="col">Absolute error</th>
              <th scope="col">Relative error</th>
              <th scope="col">What happened</th>
            </tr>
          </thead>
          <tbody>
            {FLOAT_FORMATS.map((f) => {
              const info = floatFormatInfo(f);
              if (f === 'fp4-e2m1' && Number.isNaN(x)) {
                return (
                  <tr key={f} data-format={f}>
                    <th scope="row">{FLOAT_FORMAT_LABELS[f]}</th>
                    <td colSpan={5}>No NaN in FP4 E2M1: it cannot store this.</td>
                  </tr>
                );
              }
              const r = roundingInfo(f, x);
              const what = r.saturated
                ? 'saturated'
                : r.overflowToInf
                  ? 'overflow to ∞'
                  : r.underflowToZero
                    ? 'underflow to 0'
                    : r.absError === 0 || Number.isNaN(x)
                      ? 'exact'
                      : 'rounded';
              return (
                <tr key={f} data-format={f}>
                  <th scope="row">{FLOAT_FORMAT_LABELS[f]}</th>
                  <td><code>{hexCode(r.bits, info.bits)}</code></td>
                  <td title={exactDecimal(r.stored)} data-testid={`stored-${f}`}>{shortNumber(r.stored, 8)}</td>
                  <td>{shortNumber(r.absError, 3)}</td>
                  <td>{Number.isFinite(r.relError) ? `${shortNumber(r.relError * 100, 3)}%` : shortNumber(r.relError)}</td>
                  <td>{what}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </ScrollRegion>
      <p className="widget-caption">Hover a stored value for its exact decimal expansion.</p>
    </WidgetFrame>
  );
}
