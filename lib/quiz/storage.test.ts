import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  clearQuiz,
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
} from './storage';

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
        good: { response: 2, correct: true, at: 10 },
        text: { response: '3/255', correct: false, at: 11 },
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
    const expected: QuizResult = { version: 1, answers: { gb: { response: '14', correct: true, at: 1000 } } };
    expect(returned).toEqual(expected);
    expect(JSON.parse(storage.data.get('lowbit:quiz:why-quantize') ?? 'null')).toEqual(expected);
    expect(loadQuizResult(storage, 'why-quantize')).toEqual(expected);
  });

  it('keeps other answers and replaces an earlier answer to the same question', () => {
    const storage = memoryStorage();
    saveAnswer(storage, 'l', 'a', 0, false, 1);
    saveAnswer(storage, 'l', 'b', '3/255', true, 2);
    saveAnswer(storage, 'l', 'a', 1, true, 3);
    expect(loadQuizResult(storage, 'l').answers).toEqual({
      a: { response: 1, correct: true, at: 3 },
      b: { response: '3/255', correct: true, at: 2 },
    });
  });

  it('overwrites a malformed record instead of failing', () => {
    const storage = memoryStorage({ [quizStorageKey('l')]: 'not json' });
    saveAnswer(storage, 'l', 'a', 0, true, 1);
    expect(loadQuizResult(storage, 'l').answers).toEqual({ a: { response: 0, correct: true, at: 1 } });
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
    expect(saveAnswer(throwingStorage, 'l', 'a', 1, true, 7).answers).toEqual({ a: { response: 1, correct: true, at: 7 } });
    expect(saveAnswer(null, 'l', 'a', 1, false, 7).answers).toEqual({ a: { response: 1, correct: false, at: 7 } });
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
      answers: { a: { response: 0, correct: false, at: 5 }, b: { response: '1', correct: true, at: 9 } },
    };
    const session: QuizResult = {
      version: 1,
      answers: { a: { response: 1, correct: true, at: 6 }, b: { response: '2', correct: false, at: 8 }, c: { response: 2, correct: true, at: 1 } },
    };
    expect(mergeQuizResults(stored, session).answers).toEqual({
      a: { response: 1, correct: true, at: 6 },
      b: { response: '1', correct: true, at: 9 },
      c: { response: 2, correct: true, at: 1 },
    });
    expect(mergeQuizResults(stored, session)).toEqual(mergeQuizResults(session, stored));
    expect(mergeQuizResults()).toEqual(emptyQuizResult());
  });

  it('lets the later result win a tie, and keeps "__proto__" as data', () => {
    const x: QuizResult = parseQuizResult('{"version":1,"answers":{"__proto__":{"response":0,"correct":false,"at":1}}}');
    const y: QuizResult = parseQuizResult('{"version":1,"answers":{"__proto__":{"response":1,"correct":true,"at":1}}}');
    const merged = mergeQuizResults(x, y);
    expect(Object.hasOwn(merged.answers, '__proto__')).toBe(true);
    expect(merged.answers['__proto__']).toEqual({ response: 1, correct: true, at: 1 });
    expect(Object.getPrototypeOf(merged.answers)).toBe(Object.prototype);
  });
});

describe('summarizeQuiz and describeProgress', () => {
  const result: QuizResult = {
    version: 1,
    answers: {
      a: { response: 1, correct: true, at: 1 },
      b: { response: '3', correct: false, at: 2 },
      c: { response: 0, correct: true, at: 3 },
    },
  };

  it('counts answered and correct', () => {
    expect(summarizeQuiz(result, 4)).toEqual({ answered: 3, correct: 2, total: 4 });
    expect(summarizeQuiz(emptyQuizResult(), 3)).toEqual({ answered: 0, correct: 0, total: 3 });
  });

  it('counts only the listed questions when ids are given', () => {
    expect(summarizeQuiz(result, 2, ['a', 'b'])).toEqual({ answered: 2, correct: 1, total: 2 });
    expect(summarizeQuiz(result, 3, ['b', 'x', 'y'])).toEqual({ answered: 1, correct: 0, total: 3 });
    expect(summarizeQuiz(result, 2, ['a', 'a'])).toEqual({ answered: 1, correct: 1, total: 2 });
  });

  it('caps counts at the total (answers to questions since removed)', () => {
    expect(summarizeQuiz(result, 2)).toEqual({ answered: 2, correct: 2, total: 2 });
    expect(summarizeQuiz(result, 0)).toEqual({ answered: 0, correct: 0, total: 0 });
  });

  it('words the progress line', () => {
    expect(describeProgress({ answered: 0, correct: 0, total: 3 })).toBe('Quiz not taken yet');
    expect(describeProgress({ answered: 3, correct: 2, total: 3 })).toBe('Quiz: 2 of 3 correct');
    expect(describeProgress({ answered: 1, correct: 0, total: 3 })).toBe('Quiz: 0 of 3 correct');
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
