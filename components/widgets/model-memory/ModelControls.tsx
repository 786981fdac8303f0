'use client';

import { useState } from 'react';
import { WidgetError } from '@/components/widget-kit/WidgetError';
import { formatParameterCount, parseParameterCount } from '@/lib/memory';
import { CHOICES, CUSTOM, MODELS, type State, type Update } from './state';
import styles from './ModelMemory.module.css';

/** The model picker, the typed size (kept as typed until it parses) and the weight-format checkboxes. */
export function ModelControls({ state, parameters, update, uid }: { state: State; parameters: number; update: Update; uid: string }) {
  const [sizeText, setSizeText] = useState<string | null>(null);
  const sizeParsed = sizeText === null ? null : parseParameterCount(sizeText);
  const sizeError = sizeParsed && !sizeParsed.ok ? sizeParsed.error : null;

  const chooseModel = (model: string) => {
    setSizeText(null);
    update(model === CUSTOM ? { model, params: Math.round(parameters) } : { model });
  };
  const typeSize = (text: string) => {
    setSizeText(text);
    const p = parseParameterCount(text);
    if (p.ok) update({ model: CUSTOM, params: Math.max(1, Math.round(p.parameters)) });
  };
  const toggleFormat = (i: number) => update({ formats: state.formats ^ (1 << i) });

  return (
    <>
      <div className="controls">
        <label className="control">
          <span>Model</span>
          <select value={state.model} onChange={(e) => chooseModel(e.target.value)} data-testid="model-preset">
            {MODELS.map((a) => (
              <option key={a.id} value={a.id}>{a.label}</option>
            ))}
            <option value={CUSTOM}>Any size (weights only)</option>
          </select>
        </label>
        <label className="control">
          <span>or type a size</span>
          <input
            type="text"
            inputMode="decimal"
            value={sizeText ?? formatParameterCount(parameters)}
            onChange={(e) => typeSize(e.target.value)}
            aria-invalid={sizeError !== null}
            aria-describedby={`${uid}-size-help`}
            data-testid="model-size"
            className={styles.numberInput}
          />
        </label>
        <fieldset className="control">
          <legend>Weight formats</legend>
          <div className="checks">
            {CHOICES.map((c, i) => (
              <label key={c.format}>
                <input type="checkbox" checked={(state.formats & (1 << i)) !== 0} onChange={() => toggleFormat(i)} /> {c.label}
              </label>
            ))}
          </div>
        </fieldset>
      </div>
      {sizeError && (
        <WidgetError id={`${uid}-size-help`}>
          {sizeError} Showing {formatParameterCount(parameters)} until then.
        </WidgetError>
      )}
    </>
  );
}
