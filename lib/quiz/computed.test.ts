import { describe, expect, it } from 'vitest';
import { withComputedAnswers, type AuthoredQuestion } from './computed';

const choice: AuthoredQuestion = { id: 'pick', kind: 'choice', prompt: 'Which?', options: ['a', 'b'], answer: 1 };
const written: AuthoredQuestion = { id: 'gb', kind: 'numeric', prompt: 'GB?', answer: 14, unit: 'GB' };
const computedQ: AuthoredQuestion = {
  id: 'scale',
  kind: 'numeric',
  prompt: 'Scale?',
  tolerance: { rel: 0.01 },
  alsoAccept: [{ note: 'absmax / 7' }, { note: 'absmax / 8', tolerance: { abs: 0.001 } }],
};

describe('withComputedAnswers', () => {
  it('fills a numeric question’s answer and its alsoAccept values, in order, and keeps everything else', () => {
    const [a, b, c] = withComputedAnswers('l', [choice, written, computedQ], { scale: { answer: 0.016, alsoAccept: [0.12 / 7, 0.015] } });
    expect(a).toBe(choice);
    expect(b).toBe(written);
    expect(c).toEqual({
      id: 'scale',
      kind: 'numeric',
      prompt: 'Scale?',
      tolerance: { rel: 0.01 },
      answer: 0.016,
      alsoAccept: [
        { note: 'absmax / 7', answer: 0.12 / 7 },
        { note: 'absmax / 8', tolerance: { abs: 0.001 }, answer: 0.015 },
      ],
    });
  });

  it('leaves a quiz with written answers as it is, and keeps rich explanations', () => {
    const rich: AuthoredQuestion<{ node: string }> = { id: 'r', kind: 'numeric', prompt: 'R?', explanation: { node: 'x' } };
    expect(withComputedAnswers('l', [choice, written])).toEqual([choice, written]);
    expect(withComputedAnswers('l', [rich], { r: { answer: 2 } })[0]).toEqual({ ...rich, answer: 2 });
  });

  it.each([
    ['an answer for an unknown id', [written], { nope: { answer: 1 } }, 'not one of its questions'],
    ['an answer for a choice question', [choice], { pick: { answer: 1 } }, 'not a numeric question'],
    ['no answer anywhere', [{ ...written, answer: undefined }], {}, 'has no answer'],
    ['an alsoAccept entry with no answer', [{ ...written, alsoAccept: [{ note: 'n' }] }], {}, 'alsoAccept[0], has no answer'],
    ['an answer written and computed', [written], { gb: { answer: 14 } }, 'in the lesson and a computed one'],
    ['too few alsoAccept values', [computedQ], { scale: { answer: 1, alsoAccept: [2] } }, '2 alsoAccept entries but 1 computed'],
    ['an alsoAccept value written and computed', [{ ...computedQ, alsoAccept: [{ answer: 3 }] }], { scale: { answer: 1, alsoAccept: [2] } }, 'alsoAccept[0], has an answer in the lesson'],
  ] as const)('names the quiz and the problem for %s', (_name, questions, computed, message) => {
    expect(() => withComputedAnswers('lesson-x', questions as readonly AuthoredQuestion[], computed)).toThrow(`Quiz "lesson-x": `);
    expect(() => withComputedAnswers('lesson-x', questions as readonly AuthoredQuestion[], computed)).toThrow(message);
  });
});
