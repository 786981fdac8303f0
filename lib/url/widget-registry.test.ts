import { describe, expect, it } from 'vitest';
import { createWidgetStateRegistry } from './widget-registry';
import { base, fakeWidget } from './widget-fixture.test-util';

describe('the registry of widget states', () => {
  it('reads the current scene, resets to the defaults and says when a widget is not on the page', () => {
    const reg = createWidgetStateRegistry();
    const w = fakeWidget({ bits: 4, scheme: 'asym', outliers: false });
    reg.register('lab', w);
    expect(reg.sceneOf('lab')).toBe('lab.bits=4&lab.scheme=asym');
    expect(reg.reset('lab')).toBe(true);
    expect(w.shown).toEqual(base);
    expect(w.shown).not.toBe(base);
    expect(reg.sceneOf('gone')).toBeUndefined();
    expect(reg.reset('gone')).toBe(false);
  });
  it('keeps the newer handle when an older one unregisters (React StrictMode mounts twice), and tells subscribers', () => {
    const reg = createWidgetStateRegistry();
    let calls = 0;
    const off = reg.subscribe(() => calls++);
    const first = fakeWidget();
    const second = fakeWidget();
    const dropFirst = reg.register('lab', first);
    const dropSecond = reg.register('lab', second);
    dropFirst();
    expect(reg.get('lab')).toBe(second);
    dropSecond();
    expect(reg.get('lab')).toBeUndefined();
    expect(calls).toBe(3);
    off();
    reg.register('x', fakeWidget());
    expect(calls).toBe(3);
  });
});
