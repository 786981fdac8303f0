'use client';

import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';
import { WidgetError } from '@/components/widget-kit/WidgetError';
import { useEffect } from 'react';
import { useParsedText } from '@/components/ui/useParsedInput';
import { useWidgetState } from '@/components/widget-kit/useWidgetState';
import { IgnoredLinkValues } from '@/components/widget-kit/IgnoredLinkValues';
import { INPUT_LIMITS } from '@/lib/text/input';
import type { StateSpec } from '@/lib/url/widget-state';
import { FLOAT_FORMATS, floatFormatInfo, roundingInfo } from '@/lib/formats';
import { FLOAT_FORMAT_LABELS, exactDecimal, hexCode, shortNumber } from '@/lib/formats/display';
import { parseNumberInput } from '@/lib/formats/parse';
import { ScrollRegion } from '@/components/ui/ScrollRegion';

type State = { value: string };
const SPEC: StateSpec<State> = { value: { kind: 'text', maxLength: INPUT_LIMITS.number } };

/**
 * One number stored in every float format at once: its code, stored value and error in each. The
 * number typed is shared by link (`?<id>.value=…`); a link's value that is not a number is named.
 */
export function AllFormats({ id = 'allformats', initialValue = '3.14159' }: { id?: string; initialValue?: string }) {
  const [state, update, ignored, reject] = useWidgetState(id, SPEC, { value: initialValue });
  const input = useParsedText(state.value, parseNumberInput, Math.PI);
  useEffect(() => {
    if (input.error) reject('value'); // only while the box still holds the link's value
  }, [input.error, reject]);
  const x = input.value;
  return (
    <WidgetFrame stateId={id} title="One number, every format" testId="all-formats">
      <div className="controls">
        <label className="control">
          <span>Number</span>
          <input type="text" inputMode="decimal" value={state.value} onChange={(e) => update({ value: e.target.value })} aria-invalid={input.error !== null} data-testid="all-formats-input" size={16} />
        </label>
      </div>
      <IgnoredLinkValues ignored={ignored} />
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
