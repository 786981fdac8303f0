import { describe, expect, it } from 'vitest';
import type { ChoiceQuestion, NumericQuestion } from './grade';
import type { StoredAnswer } from './storage';
import { matchedAlternative, optionMark, ownValue, questionView, verdictLabel, withoutKey } from './view';

function stored(response: string | number, correct: boolean, more: Partial<StoredAnswer> = {}): StoredAnswer {
  return { response, correct, at: 0, firstCorrect: correct, tries: 1, retryCorrect: false, revealed: false, firstResponse: response, ...more };
}

describe('questionView', () => {
  it('shows nothing for an unanswered question, and the edit being typed', () => {
    expect(questionView(undefined, undefined, false)).toMatchObject({ current: undefined, verdict: undefined, state: 'none', outcome: 'unanswered', showSolution: false, showExplanation: false, offerReveal: false });
    expect(questionView(undefined, '14', false)).toMatchObject({ current: '14', state: 'none' });
  });

  it('shows the verdict of the checked response, and hides it while the learner edits it into something else', () => {
    const right = stored('14', true);
    expect(questionView(right, undefined, false)).toMatchObject({ current: '14', verdict: right, state: 'correct', outcome: 'correct', showExplanation: true, offerReveal: false });
    expect(questionView(right, '14', false)).toMatchObject({ verdict: right, state: 'correct' });
    expect(questionView(right, '15', false)).toMatchObject({ current: '15', verdict: undefined, state: 'none', showExplanation: false });
  });

  it('offers the answer after a wrong check, and shows it with the explanation once asked', () => {
    const wrong = stored(1, false);
    expect(questionView(wrong, undefined, false)).toMatchObject({ state: 'incorrect', outcome: 'wrong', offerReveal: true, showSolution: false, showExplanation: false });
    const shown = { ...wrong, revealed: true };
    expect(questionView(shown, undefined, false)).toMatchObject({ offerReveal: false, showSolution: true, showExplanation: true, revealed: true });
    // Answered right after seeing the answer: the solution gives way to the verdict, the explanation stays.
    const rightAfter = { ...shown, response: 2, correct: true, tries: 2 };
    expect(questionView(rightAfter, undefined, false)).toMatchObject({ state: 'correct', showSolution: false, showExplanation: true, outcome: 'wrong' });
  });

  it('marks an unreadable check as invalid whatever the stored answer says', () => {
    expect(questionView(stored('14', true), 'x', true).state).toBe('invalid');
  });
});

describe('optionMark', () => {
  it('marks the right option once it shows, and the learner’s wrong choice', () => {
    const wrong = questionView(stored(0, false), undefined, false);
    expect([0, 1, 2].map((i) => optionMark(i, 2, wrong))).toEqual(['wrong', undefined, undefined]);
    const shown = questionView(stored(0, false, { revealed: true }), undefined, false);
    expect([0, 1, 2].map((i) => optionMark(i, 2, shown))).toEqual(['wrong', undefined, 'answer']);
    const right = questionView(stored(2, true), undefined, false);
    expect([0, 1, 2].map((i) => optionMark(i, 2, right))).toEqual([undefined, undefined, 'answer']);
  });
});

describe('verdictLabel', () => {
  it('words the verdict', () => {
    expect(verdictLabel(stored('1', true), 'correct')).toBe('Correct');
    expect(verdictLabel(stored('1', true), 'retry')).toBe('Correct on retry');
    expect(verdictLabel(stored('1', true), 'wrong')).toBe('Correct');
    expect(verdictLabel(stored('1', false), 'wrong')).toBe('Not quite');
  });
});

describe('matchedAlternative', () => {
  const q: NumericQuestion = { id: 's', kind: 'numeric', prompt: 's?', answer: 0.016, tolerance: { rel: 0.01 }, alsoAccept: [{ answer: 0.12 / 7, note: 'absmax / 7' }] };
  const choice: ChoiceQuestion = { id: 'c', kind: 'choice', prompt: 'c?', options: ['a', 'b'], answer: 1 };
  it('names the alsoAccept entry a right response matched, and nothing otherwise', () => {
    expect(matchedAlternative(q, stored('0.01714', true))?.note).toBe('absmax / 7');
    expect(matchedAlternative(q, stored('0.016', true))).toBeUndefined();
    expect(matchedAlternative(q, stored('0.5', false))).toBeUndefined();
    expect(matchedAlternative(q, undefined)).toBeUndefined();
    expect(matchedAlternative(choice, stored(1, true))).toBeUndefined();
  });
});

describe('withoutKey and ownValue', () => {
  it('drop and read own keys only', () => {
    const r = { a: 1, b: 2 };
    expect(withoutKey(r, 'a')).toEqual({ b: 2 });
    expect(withoutKey(r, 'c')).toBe(r);
    expect(r).toEqual({ a: 1, b: 2 });
    expect(ownValue(r, 'b')).toBe(2);
    expect(ownValue<number>(r, 'constructor')).toBeUndefined();
  });
});
