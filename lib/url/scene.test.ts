import { describe, expect, it } from 'vitest';
import { MAX_SCENE_QUERY, applyScene, checkSceneQuery } from './scene';
import { createWidgetStateRegistry, sceneQueryOf } from './widget-registry';
import { base, fakeWidget, spec } from './widget-fixture.test-util';


describe('scene queries', () => {
  it('are the fields that differ from the defaults, and check back to the same whole state', () => {
    const q = sceneQueryOf('lab', { bits: 4, scheme: 'sym', outliers: true }, base);
    expect(q).toBe('lab.bits=4&lab.outliers=true');
    expect(checkSceneQuery(q, 'lab', spec, base)).toEqual({ ok: true, state: { bits: 4, scheme: 'sym', outliers: true } });
    expect(sceneQueryOf('lab', base, base)).toBe('');
    expect(checkSceneQuery('', 'lab', spec, base)).toEqual({ ok: true, state: base });
  });
  it('name every bad parameter: a value out of range, an unknown field, another widget’s field, a field given twice', () => {
    const check = checkSceneQuery('lab.bits=9&lab.colour=red&other.bits=4&lab.scheme=sym&lab.scheme=asym', 'lab', spec, base);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problems).toEqual([
      'colour is not a setting of this widget',
      'other.bits is not a setting of this widget (lab)',
      'scheme is given more than once',
      'bits=9 is not a value this widget accepts',
    ]);
  });
  it('refuse a query longer than a widget’s settings can be', () => {
    const check = checkSceneQuery(`lab.scheme=${'a'.repeat(MAX_SCENE_QUERY)}`, 'lab', spec, base);
    expect(check.ok).toBe(false);
  });
});

describe('scenes applied through the registry of widget states', () => {
  it('applies a good scene whole, and a scene with one bad value not at all', () => {
    const reg = createWidgetStateRegistry();
    const w = fakeWidget({ bits: 3, scheme: 'asym', outliers: false });
    reg.register('lab', w);
    expect(applyScene(reg, 'lab', 'lab.outliers=true').ok).toBe(true);
    // Fields the scene leaves out go back to the defaults: the scene is the whole view.
    expect(w.shown).toEqual({ bits: 8, scheme: 'sym', outliers: true });
    const before = w.sets;
    const bad = applyScene(reg, 'lab', 'lab.bits=4&lab.scheme=nope');
    expect(bad).toEqual({ ok: false, problems: ['scheme=nope is not a value this widget accepts'] });
    expect(w.sets).toBe(before);
    expect(w.shown).toEqual({ bits: 8, scheme: 'sym', outliers: true });
  });
  it('names a widget that is not on the page', () => {
    expect(applyScene(createWidgetStateRegistry(), 'gone', '')).toEqual({ ok: false, problems: ['the widget gone is not on this page'] });
  });
});
