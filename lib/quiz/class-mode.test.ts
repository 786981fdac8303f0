import { describe, expect, it } from 'vitest';
import { classModeFromSearch, searchWithClassMode } from './class-mode';
import { classQuestionView } from './class-view';
import { optionMark } from './view';

describe('class mode in the URL', () => {
  it('is on for class=1 or class=true only', () => {
    expect(classModeFromSearch('?class=1')).toBe(true);
    expect(classModeFromSearch('a=2&class=true')).toBe(true);
    expect(classModeFromSearch('?class=0')).toBe(false);
    expect(classModeFromSearch('')).toBe(false);
  });
  it('is set and removed keeping the other parameters', () => {
    expect(searchWithClassMode('?lab.bits=4', true)).toBe('?lab.bits=4&class=1');
    expect(searchWithClassMode('?lab.bits=4&class=1', false)).toBe('?lab.bits=4');
    expect(searchWithClassMode('?class=1', false)).toBe('');
    expect(searchWithClassMode('', true)).toBe('?class=1');
  });
});

describe('classQuestionView', () => {
  it('hides the answer and the explanation until revealed, and never grades', () => {
    const hidden = classQuestionView(2, false);
    expect(hidden).toMatchObject({ current: 2, verdict: undefined, state: 'none', showSolution: false, showExplanation: false, offerReveal: true });
    expect(optionMark(1, 1, hidden)).toBeUndefined();
    expect(optionMark(2, 1, hidden)).toBeUndefined();
  });
  it('once revealed, marks the right option and no pick as wrong', () => {
    const shown = classQuestionView(2, true);
    expect(shown).toMatchObject({ showSolution: true, showExplanation: true, offerReveal: false });
    expect(optionMark(1, 1, shown)).toBe('answer');
    expect(optionMark(2, 1, shown)).toBeUndefined();
  });
});
