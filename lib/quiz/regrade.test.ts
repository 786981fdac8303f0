import { describe, expect, it } from 'vitest';
import type { ChoiceQuestion, NumericQuestion, QuizResponse } from './grade';
import { regradeAnswer, regradeQuizResult } from './regrade';
import { parseQuizResult, recordCheck, recordReveal, summarizeQuiz, type QuizResult, type StoredAnswer } from './storage';

const gb: NumericQuestion = { id: 'gb', kind: 'numeric', prompt: 'GB?', answer: 14, tolerance: { abs: 0.05 }, unit: 'GB' };
const pick: ChoiceQuestion = { id: 'pick', kind: 'choice', prompt: 'Which?', options: ['a', 'b', 'c'], answer: 1 };

/** A sequence of checks of one question, recorded as the quiz records them. */
function checks(...steps: Array<[QuizResponse, boolean] | 'reveal'>): StoredAnswer {
  let answer: StoredAnswer | undefined;
  steps.forEach((step, i) => {
    if (step === 'reveal') {
      if (!answer) throw new Error('reveal before a check');
      answer = recordReveal(answer, i + 1);
    } else {
      answer = recordCheck(answer, step[0], step[1], i + 1);
    }
  });
  if (!answer) throw new Error('no checks');
  return answer;
}

describe('regradeAnswer', () => {
  it('keeps the very same record when the outcome is unchanged', () => {
    const answer = checks(['14 GB', true]);
    expect(regradeAnswer(answer, gb)).toBe(answer);
    const wrong = checks([0, false]);
    expect(regradeAnswer(wrong, pick)).toBe(wrong);
  });

  it('changes nothing for any sequence of checks and reveals recorded against the same question', () => {
    // Every sequence of up to four steps over a right answer, a wrong one and "Show answer".
    const steps: Array<[QuizResponse, boolean] | 'reveal'> = [['14', true], ['9', false], 'reveal'];
    let sequences: Array<typeof steps> = [[['14', true]], [['9', false]]];
    for (let length = 2; length <= 4; length++) {
      sequences = sequences.flatMap((seq) => steps.map((step) => [...seq, step]));
      for (const seq of sequences) {
        const answer = checks(...seq);
        expect(regradeAnswer(answer, gb), JSON.stringify(seq)).toBe(answer);
      }
    }
  });

  it('marks a first answer right when the question now accepts it (answer corrected, alsoAccept, tolerance)', () => {
    const answer = checks(['7', false]);
    expect(regradeAnswer(answer, { ...gb, answer: 7 })).toEqual({ ...answer, correct: true, firstCorrect: true, regraded: true });
    expect(regradeAnswer(answer, { ...gb, alsoAccept: [{ answer: 7, note: 'in GiB' }] })).toMatchObject({ correct: true, firstCorrect: true });
    expect(regradeAnswer(checks(['14.5', false]), { ...gb, tolerance: { rel: 0.05 } })).toMatchObject({ correct: true, firstCorrect: true });
  });

  it('marks a first answer wrong when the question no longer accepts it', () => {
    const answer = checks([1, true]);
    const regraded = regradeAnswer(answer, { ...pick, answer: 2 });
    expect(regraded).toEqual({ ...answer, correct: false, firstCorrect: false, regraded: true });
    expect(regraded?.retryCorrect).toBe(false);
  });

  it('grades the first try from the kept first response: wrong then right may become right first time', () => {
    // First "7" (wrong), then "14" (right on retry). The question now wants 7 and accepts 14 too.
    const answer = checks(['7', false], ['14', true]);
    expect(answer).toMatchObject({ firstCorrect: false, retryCorrect: true });
    const regraded = regradeAnswer(answer, { ...gb, answer: 7, alsoAccept: [{ answer: 14 }] });
    expect(regraded).toMatchObject({ correct: true, firstCorrect: true, retryCorrect: false, tries: 2, regraded: true });
  });

  it('a right retry that is now wrong no longer counts; a wrong last try that is now right does, unless the answer was shown', () => {
    const retried = checks(['7', false], ['14', true]);
    expect(regradeAnswer(retried, { ...gb, answer: 20 })).toMatchObject({ correct: false, firstCorrect: false, retryCorrect: false });
    const twiceWrong = checks(['7', false], ['15', false]);
    expect(regradeAnswer(twiceWrong, { ...gb, answer: 15 })).toMatchObject({ correct: true, firstCorrect: false, retryCorrect: true });
    const shown = checks(['7', false], ['15', false], 'reveal');
    expect(regradeAnswer(shown, { ...gb, answer: 15 })).toMatchObject({ correct: true, firstCorrect: false, retryCorrect: false, revealed: true });
  });

  it('keeps the stored first-try flag of a record that did not keep its first response', () => {
    const answer = checks(['14', true], ['9', false]);
    delete answer.firstResponse;
    // Only the last response ("9") is known: it is graded again, the first try stays right.
    expect(regradeAnswer(answer, { ...gb, answer: 9 })).toMatchObject({ correct: true, firstCorrect: true, retryCorrect: false });
  });

  it('regrades answers stored before attempts were kept', () => {
    const result = parseQuizResult(JSON.stringify({ version: 1, answers: { gb: { response: '7', correct: false, at: 1 } } }));
    expect(regradeAnswer(result.answers.gb, { ...gb, answer: 7 })).toMatchObject({ correct: true, firstCorrect: true, regraded: true });
  });

  it('drops a response that no longer fits the question: another kind, or a unit it no longer takes', () => {
    expect(regradeAnswer(checks([1, true]), { ...gb, id: 'pick' })).toBeNull();
    expect(regradeAnswer(checks(['14', true]), { ...pick, id: 'gb' })).toBeNull();
    expect(regradeAnswer(checks(['14 GB', true]), { ...gb, unit: undefined })).toBeNull();
  });
});

describe('regradeQuizResult', () => {
  const result: QuizResult = {
    version: 1,
    answers: {
      gb: checks(['7', false]),
      pick: checks([1, true]),
      gone: checks([0, true]),
    },
  };

  it('reports no change and returns the same result when every outcome stands', () => {
    const same = regradeQuizResult(result, [gb, pick]);
    expect(same.changed).toBe(false);
    expect(same.result).toBe(result);
  });

  it('updates changed outcomes, keeps answers to removed questions in the record, and counts only current ids', () => {
    const questions = [{ ...gb, answer: 7 }, pick];
    const { result: regraded, changed } = regradeQuizResult(result, questions);
    expect(changed).toBe(true);
    expect(regraded.answers.gb).toMatchObject({ correct: true, firstCorrect: true, regraded: true });
    expect(regraded.answers.pick).toBe(result.answers.pick);
    expect(regraded.answers.gone).toBe(result.answers.gone);
    expect(summarizeQuiz(regraded, 2, questions.map((q) => q.id))).toEqual({ answered: 2, correct: 2, retried: 0, total: 2 });
  });

  it('drops answers that no longer fit their question', () => {
    const { result: regraded, changed } = regradeQuizResult(result, [gb, { ...gb, id: 'pick' }]);
    expect(changed).toBe(true);
    expect(Object.keys(regraded.answers)).toEqual(['gb', 'gone']);
  });

  it('keeps an id like "__proto__" as plain data', () => {
    const stored = parseQuizResult('{"version":1,"answers":{"__proto__":{"response":0,"correct":false,"at":1}}}');
    const { result: regraded } = regradeQuizResult(stored, [{ ...pick, id: '__proto__', answer: 0 }]);
    expect(Object.hasOwn(regraded.answers, '__proto__')).toBe(true);
    expect(regraded.answers['__proto__']).toMatchObject({ correct: true, regraded: true });
    expect(Object.getPrototypeOf(regraded.answers)).toBe(Object.prototype);
  });
});
