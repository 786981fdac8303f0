/** A fake widget for the scene and registry tests: a small spec, its defaults, and a setter that counts its calls. */
import type { WidgetStateHandle } from './widget-registry';
import type { StateSpec, WidgetState } from './widget-state';

export const spec: StateSpec<WidgetState> = {
  bits: { kind: 'int', min: 2, max: 8 },
  scheme: { kind: 'oneOf', options: ['sym', 'asym'] },
  outliers: { kind: 'bool' },
};
export const base: WidgetState = { bits: 8, scheme: 'sym', outliers: false };

export function fakeWidget(initial: WidgetState = base): WidgetStateHandle & { shown: WidgetState; sets: number } {
  const w = {
    spec,
    base,
    shown: { ...initial },
    sets: 0,
    get: () => w.shown,
    set(state: WidgetState) {
      w.shown = state;
      w.sets++;
    },
  };
  return w;
}
