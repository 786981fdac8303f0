import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  answerOutcome,
  clearQuiz,
  describeScore,
  FOREIGN_PROGRESS,
  foreignRecordNotice,
  loadQuizRecord,
  readQuizRecord,
  updateQuizResult,
  writeQuizResult,
  recordCheck,
  recordReveal,
  storeAnswer,
  describeProgress,
  emptyQuizResult,
  loadQuizResult,
  mergeQuizResults,
  parseQuizResult,
  quizStorageKey,
  readQuizRaw,
  resolveStorage,
  saveAnswer,
  storageEventAffects,
  subscribeQuiz,
  summarizeQuiz,
  type QuizResult,
  type QuizStorage,
  type StoredAnswer,
} from './storage';
import type { QuizResponse } from './grade';

/** A first checked answer, as recorded now. */
function fresh(response: QuizResponse, correct: boolean, at: number): StoredAnswer {
  return { response, correct, at, firstCorrect: correct, tries: 1, retryCorrect: false, revealed: false, firstResponse: response };
}

/** An answer stored before attempts were kept ({ response, correct, at }), as read now. */
function legacy(response: QuizResponse, correct: boolean, at: number): StoredAnswer {
  return { response, correct, at, firstCorrect: correct, tries: 1, retryCorrect: false, revealed: !correct };
}

/** An in-memory stand-in for localStorage. */
function memoryStorage(initial: Record<string, string> = {}): QuizStorage & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => {
      data.set(key, String(value));
    },
    removeItem: (key) => {
      data.delete(key);
    },
  };
}

/** A storage where every call throws, like Safari private mode or blocked cookies. */
const throwingStorage: QuizStorage = {
  getItem: () => {
    throw new DOMException('The operation is insecure.', 'SecurityError');
  },
  setItem: () => {
    throw new DOMException('Quota exceeded', 'QuotaExceededError');
  },
  removeItem: () => {
    throw new DOMException('The operation is insecure.', 'SecurityError');
  },
};

const unsubscribers: Array<() => void> = [];
afterEach(() => {
  while (unsubscribers.length) unsubscribers.pop()?.();
});

describe('quizStorageKey', () => {
  it('namespaces by lesson', () => {
    expect(quizStorageKey('why-quantize')).toBe('lowbit:quiz:why-quantize');
  });
});

describe('loadQuizResult', () => {
  it('is empty when nothing is stored or there is no storage', () => {
    expect(loadQuizResult(memoryStorage(), 'l')).toEqual(emptyQuizResult());
    expect(loadQuizResult(null, 'l')).toEqual({ version: 1, answers: {} });
  });

  it('is empty, without throwing, when storage throws', () => {
    expect(() => loadQuizResult(throwingStorage, 'l')).not.toThrow();
    expect(loadQuizResult(throwingStorage, 'l')).toEqual(emptyQuizResult());
  });

  it.each([
    ['malformed JSON', '{"version":1,"answers":'],
    ['a JSON null', 'null'],
    ['a JSON array', '[1,2]'],
    ['a string', '"hello"'],
    ['another version', JSON.stringify({ version: 2, answers: { a: { response: 1, correct: true, at: 1 } } })],
    ['no version', JSON.stringify({ answers: { a: { response: 1, correct: true, at: 1 } } })],
    ['answers that are an array', JSON.stringify({ version: 1, answers: [] })],
    ['answers missing', JSON.stringify({ version: 1 })],
  ])('is empty for %s', (_name, raw) => {
    const storage = memoryStorage({ [quizStorageKey('l')]: raw });
    expect(loadQuizResult(storage, 'l')).toEqual(emptyQuizResult());
  });

  it('drops malformed answers and keeps the sound ones', () => {
    const raw = JSON.stringify({
      version: 1,
      answers: {
        good: { response: 2, correct: true, at: 10 },
        text: { response: '3/255', correct: false, at: 11 },
        noCorrect: { response: 1, at: 12 },
        badResponse: { response: { x: 1 }, correct: true, at: 13 },
        badAt: { response: 1, correct: true, at: 'yesterday' },
        nullAnswer: null,
      },
    });
    const result = loadQuizResult(memoryStorage({ [quizStorageKey('l')]: raw }), 'l');
    expect(result).toEqual({
      version: 1,
      answers: {
        good: legacy(2, true, 10),
        text: legacy('3/255', false, 11),
      },
    });
  });

  it('keeps an id like "__proto__" as plain data', () => {
    const raw = '{"version":1,"answers":{"__proto__":{"response":1,"correct":true,"at":1}}}';
    const result = parseQuizResult(raw);
    expect(Object.hasOwn(result.answers, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(result.answers)).toBe(Object.prototype);
  });

  it('reads other lessons separately', () => {
    const storage = memoryStorage();
    saveAnswer(storage, 'a', 'q', 1, true, 5);
    expect(loadQuizResult(storage, 'b')).toEqual(emptyQuizResult());
    expect(readQuizRaw(storage, 'b')).toBeNull();
  });
});

describe('saveAnswer', () => {
  it('writes a versioned record under the lesson key and reads it back', () => {
    const storage = memoryStorage();
    const returned = saveAnswer(storage, 'why-quantize', 'gb', '14', true, 1000);
    const expected: QuizResult = { version: 1, answers: { gb: fresh('14', true, 1000) } };
    expect(returned).toEqual(expected);
    expect(JSON.parse(storage.data.get('lowbit:quiz:why-quantize') ?? 'null')).toEqual(expected);
    expect(loadQuizResult(storage, 'why-quantize')).toEqual(expected);
  });

  it('keeps other answers and records a later check of the same question on top of the first', () => {
    const storage = memoryStorage();
    saveAnswer(storage, 'l', 'a', 0, false, 1);
    saveAnswer(storage, 'l', 'b', '3/255', true, 2);
    saveAnswer(storage, 'l', 'a', 1, true, 3);
    expect(loadQuizResult(storage, 'l').answers).toEqual({
      a: { response: 1, correct: true, at: 3, firstCorrect: false, tries: 2, retryCorrect: true, revealed: false, firstResponse: 0 },
      b: fresh('3/255', true, 2),
    });
  });

  it('stamps the current time by default', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2025-01-02T03:04:05Z'));
    try {
      const result = saveAnswer(memoryStorage(), 'l', 'a', 0, true);
      expect(result.answers.a.at).toBe(Date.parse('2025-01-02T03:04:05Z'));
    } finally {
      vi.useRealTimers();
    }
  });

  it('returns the result, without throwing, when storage throws or is missing', () => {
    expect(saveAnswer(throwingStorage, 'l', 'a', 1, true, 7).answers).toEqual({ a: fresh(1, true, 7) });
    expect(saveAnswer(null, 'l', 'a', 1, false, 7).answers).toEqual({ a: fresh(1, false, 7) });
  });
});

describe('records this version cannot read (foreign)', () => {
  const newer = JSON.stringify({ version: 2, answers: { a: { picked: [1, 2], at: 1 } }, note: 'from a later course' });

  it.each([
    ['a later version', newer, 2],
    ['an earlier version', JSON.stringify({ version: 0, answers: {} }), 0],
    ['malformed JSON', '{"version":1,"answers":', null],
    ['not a record', '[1,2]', null],
    ['no version', JSON.stringify({ answers: {} }), null],
    ['version 1 without answers', JSON.stringify({ version: 1 }), 1],
  ])('are read as foreign: %s', (_name, raw, version) => {
    expect(readQuizRecord(raw)).toEqual({ state: 'foreign', result: emptyQuizResult(), raw, foreignVersion: version });
  });

  it('are told apart from no record and a current one', () => {
    expect(readQuizRecord(null).state).toBe('none');
    expect(readQuizRecord(JSON.stringify({ version: 1, answers: {} })).state).toBe('current');
    expect(loadQuizRecord(throwingStorage, 'l').state).toBe('none');
  });

  it.each([
    ['a later version', newer],
    ['malformed JSON', 'not json'],
  ])('are kept as they are by saves, writes and clears (%s)', (_name, raw) => {
    const storage = memoryStorage({ [quizStorageKey('l')]: raw });
    const seen: string[] = [];
    unsubscribers.push(subscribeQuiz((slug) => seen.push(slug)));
    // The page still gets the answer to show for this visit.
    expect(saveAnswer(storage, 'l', 'a', 0, true, 1).answers).toEqual({ a: fresh(0, true, 1) });
    expect(writeQuizResult(storage, 'l', { version: 1, answers: { a: fresh(1, true, 2) } })).toBe('kept-foreign');
    clearQuiz(storage, 'l');
    expect(updateQuizResult(storage, 'l', raw, emptyQuizResult())).toBe(false);
    expect(storage.data.get(quizStorageKey('l'))).toBe(raw);
    expect(seen).toEqual([]);
  });

  it('are replaced or cleared when the caller says the learner confirmed', () => {
    const storage = memoryStorage({ [quizStorageKey('l')]: newer });
    const mine: QuizResult = { version: 1, answers: { a: fresh(1, true, 2) } };
    expect(writeQuizResult(storage, 'l', mine, { replaceForeign: true })).toBe('written');
    expect(loadQuizRecord(storage, 'l')).toMatchObject({ state: 'current', result: mine });
    storage.data.set(quizStorageKey('l'), newer);
    storeAnswer(storage, 'l', 'b', fresh(0, false, 3), { replaceForeign: true });
    expect(loadQuizResult(storage, 'l').answers).toEqual({ b: fresh(0, false, 3) });
    storage.data.set(quizStorageKey('l'), newer);
    clearQuiz(storage, 'l', { replaceForeign: true });
    expect(storage.data.has(quizStorageKey('l'))).toBe(false);
  });

  it('are described to the learner and on the course home', () => {
    expect(foreignRecordNotice({ foreignVersion: 2 })).toBe(
      'Your saved answers for this quiz were saved by a newer version of the course and are kept as they are. Answers you check here are not saved unless you replace them.',
    );
    expect(foreignRecordNotice({ foreignVersion: null })).toContain('were saved by a different version of the course and are kept as they are.');
    expect(FOREIGN_PROGRESS).toBe('Quiz: saved by another version');
  });
});

describe('writeQuizResult and updateQuizResult', () => {
  it('write a whole result and notify; fail softly without storage', () => {
    const storage = memoryStorage();
    const seen: string[] = [];
    unsubscribers.push(subscribeQuiz((slug) => seen.push(slug)));
    const result: QuizResult = { version: 1, answers: { a: fresh(1, true, 2) } };
    expect(writeQuizResult(storage, 'l', result)).toBe('written');
    expect(loadQuizResult(storage, 'l')).toEqual(result);
    expect(writeQuizResult(throwingStorage, 'l', result)).toBe('failed');
    expect(writeQuizResult(null, 'l', result)).toBe('failed');
    expect(seen).toEqual(['l', 'l', 'l']);
  });

  it('update only when the stored text is still the one the update was derived from', () => {
    const storage = memoryStorage();
    saveAnswer(storage, 'l', 'a', 0, false, 1);
    const read = readQuizRaw(storage, 'l');
    const derived: QuizResult = { version: 1, answers: { a: { ...fresh(0, true, 1), regraded: true } } };
    // Another tab answers meanwhile: the derived result is stale and is not written.
    saveAnswer(storage, 'l', 'b', 1, true, 2);
    expect(updateQuizResult(storage, 'l', read, derived)).toBe(false);
    expect(Object.keys(loadQuizResult(storage, 'l').answers)).toEqual(['a', 'b']);
    expect(updateQuizResult(storage, 'l', readQuizRaw(storage, 'l'), derived)).toBe(true);
    expect(loadQuizResult(storage, 'l')).toEqual(derived);
    expect(updateQuizResult(throwingStorage, 'l', null, derived)).toBe(false);
  });
});

describe('clearQuiz', () => {
  it('removes only that lesson', () => {
    const storage = memoryStorage();
    saveAnswer(storage, 'a', 'q', 1, true, 1);
    saveAnswer(storage, 'b', 'q', 1, true, 1);
    clearQuiz(storage, 'a');
    expect(loadQuizResult(storage, 'a')).toEqual(emptyQuizResult());
    expect(Object.keys(loadQuizResult(storage, 'b').answers)).toEqual(['q']);
  });

  it('never throws', () => {
    expect(() => clearQuiz(throwingStorage, 'a')).not.toThrow();
    expect(() => clearQuiz(null, 'a')).not.toThrow();
  });
});

describe('subscribeQuiz', () => {
  it('notifies on save and clear with the lesson slug, until unsubscribed', () => {
    const storage = memoryStorage();
    const seen: string[] = [];
    const unsubscribe = subscribeQuiz((slug) => seen.push(slug));
    unsubscribers.push(unsubscribe);
    saveAnswer(storage, 'a', 'q', 1, true, 1);
    clearQuiz(storage, 'b');
    unsubscribe();
    saveAnswer(storage, 'c', 'q', 1, true, 1);
    expect(seen).toEqual(['a', 'b']);
  });

  it('notifies after the write, so listeners read the new state', () => {
    const storage = memoryStorage();
    const reads: number[] = [];
    unsubscribers.push(subscribeQuiz((slug) => reads.push(Object.keys(loadQuizResult(storage, slug).answers).length)));
    saveAnswer(storage, 'l', 'a', 1, true, 1);
    saveAnswer(storage, 'l', 'b', 1, true, 1);
    clearQuiz(storage, 'l');
    expect(reads).toEqual([1, 2, 0]);
  });

  it('notifies even when storage throws, and tolerates unsubscribing during a notification', () => {
    const calls: string[] = [];
    const first = subscribeQuiz(() => {
      calls.push('first');
      first();
    });
    unsubscribers.push(first, subscribeQuiz(() => calls.push('second')));
    saveAnswer(throwingStorage, 'l', 'a', 1, true, 1);
    saveAnswer(throwingStorage, 'l', 'a', 1, true, 1);
    expect(calls).toEqual(['first', 'second', 'second']);
  });
});

describe('mergeQuizResults', () => {
  it('keeps the most recent answer to each question', () => {
    const stored: QuizResult = {
      version: 1,
      answers: { a: fresh(0, false, 5), b: fresh('1', true, 9) },
    };
    const session: QuizResult = {
      version: 1,
      answers: { a: fresh(1, true, 6), b: fresh('2', false, 8), c: fresh(2, true, 1) },
    };
    expect(mergeQuizResults(stored, session).answers).toEqual({
      a: fresh(1, true, 6),
      b: fresh('1', true, 9),
      c: fresh(2, true, 1),
    });
    expect(mergeQuizResults(stored, session)).toEqual(mergeQuizResults(session, stored));
    expect(mergeQuizResults()).toEqual(emptyQuizResult());
  });

  it('lets the later result win a tie, and keeps "__proto__" as data', () => {
    const x: QuizResult = parseQuizResult('{"version":1,"answers":{"__proto__":{"response":0,"correct":false,"at":1}}}');
    const y: QuizResult = parseQuizResult('{"version":1,"answers":{"__proto__":{"response":1,"correct":true,"at":1}}}');
    const merged = mergeQuizResults(x, y);
    expect(Object.hasOwn(merged.answers, '__proto__')).toBe(true);
    expect(merged.answers['__proto__']).toEqual(legacy(1, true, 1));
    expect(Object.getPrototypeOf(merged.answers)).toBe(Object.prototype);
  });
});

describe('recordCheck, recordReveal and answerOutcome', () => {
  it('scores the first check; a later right check counts as correct on retry', () => {
    const first = recordCheck(undefined, 0, false, 1);
    expect(first).toEqual(fresh(0, false, 1));
    expect(answerOutcome(first)).toBe('wrong');
    const second = recordCheck(first, 2, false, 2);
    expect(second).toMatchObject({ response: 2, correct: false, tries: 2, firstCorrect: false, retryCorrect: false });
    const third = recordCheck(second, 1, true, 3);
    expect(third).toMatchObject({ response: 1, correct: true, at: 3, tries: 3, firstCorrect: false, retryCorrect: true });
    expect(answerOutcome(third)).toBe('retry');
    // Changing to a wrong answer afterwards does not undo the retry, nor the first try.
    expect(answerOutcome(recordCheck(third, 0, false, 4))).toBe('retry');
    expect(answerOutcome(recordCheck(recordCheck(undefined, 1, true, 1), 0, false, 2))).toBe('correct');
    expect(answerOutcome(undefined)).toBe('unanswered');
  });

  it('does not count a right answer given after the answer was shown', () => {
    const revealed = recordReveal(recordCheck(undefined, '5', false, 1), 2);
    expect(revealed).toEqual({ ...fresh('5', false, 1), at: 2, revealed: true });
    const after = recordCheck(revealed, '14', true, 3);
    expect(after).toMatchObject({ correct: true, retryCorrect: false, revealed: true, tries: 2 });
    expect(answerOutcome(after)).toBe('wrong');
  });

  it('keeps the first response, and drops the re-grading note on the next check', () => {
    const first = recordCheck(undefined, '20', false, 1);
    expect(first.firstResponse).toBe('20');
    const regraded: StoredAnswer = { ...first, correct: true, firstCorrect: true, regraded: true };
    const next = recordCheck(regraded, '14', true, 2);
    expect(next).not.toHaveProperty('regraded');
    expect(next).toMatchObject({ firstResponse: '20', response: '14', tries: 2 });
    // Both survive storage.
    expect(parseQuizResult(JSON.stringify({ version: 1, answers: { q: regraded } })).answers.q).toEqual(regraded);
  });

  it('stores what it records, and reads it back', () => {
    const storage = memoryStorage();
    const answer = recordReveal(recordCheck(undefined, '5', false, 1), 2);
    expect(storeAnswer(storage, 'l', 'q', answer).answers).toEqual({ q: answer });
    expect(loadQuizResult(storage, 'l').answers).toEqual({ q: answer });
    expect(JSON.parse(storage.data.get('lowbit:quiz:l') ?? 'null').version).toBe(1);
  });
});

describe('records stored before attempts were kept', () => {
  // What the quiz wrote until now: { response, correct, at } per question.
  const raw = JSON.stringify({
    version: 1,
    answers: { right: { response: 1, correct: true, at: 5 }, wrong: { response: '3', correct: false, at: 6 } },
  });

  it('keep their score: a right answer stays right, a wrong one wrong and already shown', () => {
    const result = parseQuizResult(raw);
    expect(result.answers).toEqual({ right: legacy(1, true, 5), wrong: legacy('3', false, 6) });
    expect(summarizeQuiz(result, 2)).toEqual({ answered: 2, correct: 1, retried: 0, total: 2 });
    // The earlier quiz showed the answer after a wrong check: answering right now is no retry.
    expect(answerOutcome(recordCheck(result.answers.wrong, '14', true, 7))).toBe('wrong');
  });

  it('are extended in place, keeping the other answers', () => {
    const storage = memoryStorage({ [quizStorageKey('l')]: raw });
    saveAnswer(storage, 'l', 'right', 0, false, 8);
    const result = loadQuizResult(storage, 'l');
    expect(result.answers.wrong).toEqual(legacy('3', false, 6));
    expect(result.answers.right).toMatchObject({ response: 0, correct: false, firstCorrect: true, tries: 2 });
    expect(answerOutcome(result.answers.right)).toBe('correct');
  });

  it('drop answers whose new fields are malformed', () => {
    const result = parseQuizResult(
      JSON.stringify({
        version: 1,
        answers: {
          badTries: { response: 1, correct: true, at: 1, tries: 0 },
          badFirst: { response: 1, correct: true, at: 1, firstCorrect: 'yes' },
          badFirstResponse: { response: 1, correct: true, at: 1, firstResponse: [1] },
          badRegraded: { response: 1, correct: true, at: 1, regraded: 'yes' },
          ok: { response: 1, correct: true, at: 1, firstCorrect: false, tries: 2, retryCorrect: true, revealed: false },
        },
      }),
    );
    expect(Object.keys(result.answers)).toEqual(['ok']);
    expect(answerOutcome(result.answers.ok)).toBe('retry');
  });
});

describe('summarizeQuiz, describeScore and describeProgress', () => {
  const result: QuizResult = {
    version: 1,
    answers: {
      a: fresh(1, true, 1),
      b: fresh('3', false, 2),
      c: fresh(0, true, 3),
      d: recordCheck(fresh(0, false, 1), 2, true, 4),
    },
  };

  it('counts answered, right first time and right on retry', () => {
    expect(summarizeQuiz(result, 5)).toEqual({ answered: 4, correct: 2, retried: 1, total: 5 });
    expect(summarizeQuiz(emptyQuizResult(), 3)).toEqual({ answered: 0, correct: 0, retried: 0, total: 3 });
  });

  it('counts only the listed questions when ids are given', () => {
    expect(summarizeQuiz(result, 2, ['a', 'b'])).toEqual({ answered: 2, correct: 1, retried: 0, total: 2 });
    expect(summarizeQuiz(result, 3, ['b', 'x', 'y'])).toEqual({ answered: 1, correct: 0, retried: 0, total: 3 });
    expect(summarizeQuiz(result, 2, ['a', 'a'])).toEqual({ answered: 1, correct: 1, retried: 0, total: 2 });
    expect(summarizeQuiz(result, 2, ['d', 'b'])).toEqual({ answered: 2, correct: 0, retried: 1, total: 2 });
  });

  it('caps counts at the total (answers to questions since removed)', () => {
    expect(summarizeQuiz(result, 2)).toEqual({ answered: 2, correct: 2, retried: 0, total: 2 });
    expect(summarizeQuiz(result, 3)).toEqual({ answered: 3, correct: 2, retried: 1, total: 3 });
    expect(summarizeQuiz(result, 0)).toEqual({ answered: 0, correct: 0, retried: 0, total: 0 });
  });

  it('words the score and the progress line', () => {
    expect(describeScore({ answered: 5, correct: 3, retried: 1, total: 5 })).toBe('3 of 5 correct · 1 correct on retry');
    expect(describeScore({ answered: 5, correct: 3, retried: 0, total: 5 })).toBe('3 of 5 correct');
    expect(describeProgress({ answered: 0, correct: 0, retried: 0, total: 3 })).toBe('Quiz not taken yet');
    expect(describeProgress({ answered: 3, correct: 2, retried: 0, total: 3 })).toBe('Quiz: 2 of 3 correct');
    expect(describeProgress({ answered: 3, correct: 1, retried: 2, total: 3 })).toBe('Quiz: 1 of 3 correct · 2 correct on retry');
    expect(describeProgress({ answered: 1, correct: 0, retried: 0, total: 3 })).toBe('Quiz: 0 of 3 correct');
  });
});

describe('resolveStorage and storageEventAffects', () => {
  it('returns the storage, or null when getting it throws or yields nothing', () => {
    const storage = memoryStorage();
    expect(resolveStorage(() => storage)).toBe(storage);
    expect(resolveStorage(() => undefined)).toBeNull();
    expect(
      resolveStorage(() => {
        throw new DOMException('blocked', 'SecurityError');
      }),
    ).toBeNull();
  });

  it('matches the lesson key and a whole-storage clear only', () => {
    expect(storageEventAffects('lowbit:quiz:a', 'a')).toBe(true);
    expect(storageEventAffects(null, 'a')).toBe(true);
    expect(storageEventAffects('lowbit:quiz:b', 'a')).toBe(false);
    expect(storageEventAffects('lowbit:quiz:ab', 'a')).toBe(false);
    expect(storageEventAffects('theme', 'a')).toBe(false);
  });
});
