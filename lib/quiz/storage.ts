/**
 * Quiz results kept per lesson in Web Storage (localStorage in the browser), under the key
 * `lowbit:quiz:<lessonSlug>`. The storage is injected, so this is tested in Node with a Map;
 * every function tolerates a missing, full or throwing storage (private browsing, disabled
 * cookies) and malformed or outdated records, and never throws.
 *
 * A small in-page event bus (`subscribeQuiz`) tells other components on the same page — the
 * quiz's score, the course home's progress badges — that a lesson's result changed. Changes
 * made in other tabs arrive as the window's `storage` event, which the components listen to;
 * `storageEventAffects` says whether such an event concerns a lesson.
 */
import type { QuizResponse } from './grade';

/** The part of the Web Storage API the quiz uses. */
export type QuizStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** One recorded answer: what the learner gave, whether it was right, and when (ms since epoch). */
export interface StoredAnswer {
  response: QuizResponse;
  correct: boolean;
  at: number;
}

/** A lesson's stored quiz result, keyed by question id. */
export interface QuizResult {
  version: 1;
  answers: Record<string, StoredAnswer>;
}

/** Counts for a score line: questions answered, answered correctly, and in the quiz. */
export interface QuizSummary {
  answered: number;
  correct: number;
  total: number;
}

/** Called with the lesson slug whose result was saved or cleared on this page. */
export type QuizListener = (slug: string) => void;

const KEY_PREFIX = 'lowbit:quiz:';

/** The storage key for a lesson's quiz: `lowbit:quiz:<slug>`. */
export function quizStorageKey(slug: string): string {
  return `${KEY_PREFIX}${slug}`;
}

/** A result with no answers. */
export function emptyQuizResult(): QuizResult {
  return { version: 1, answers: {} };
}

/**
 * Returns the storage `get` yields, or null when it yields nothing or throws — reading
 * `window.localStorage` throws a SecurityError where storage is blocked.
 * Use as `resolveStorage(() => window.localStorage)`.
 */
export function resolveStorage(get: () => QuizStorage | null | undefined): QuizStorage | null {
  try {
    return get() ?? null;
  } catch {
    return null;
  }
}

/** The raw stored text for a lesson, or null when absent, storage is null or reading throws. */
export function readQuizRaw(storage: QuizStorage | null, slug: string): string | null {
  if (!storage) return null;
  try {
    return storage.getItem(quizStorageKey(slug));
  } catch {
    return null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStoredAnswer(value: unknown): value is StoredAnswer {
  if (!isRecord(value)) return false;
  const { response, correct, at } = value;
  const responseOk = typeof response === 'string' || (typeof response === 'number' && Number.isFinite(response));
  return responseOk && typeof correct === 'boolean' && typeof at === 'number' && Number.isFinite(at);
}

/**
 * Parses stored text into a result. Null, malformed JSON, a record of another version or
 * shape give an empty result; individual malformed answers are dropped, the rest kept.
 */
export function parseQuizResult(raw: string | null): QuizResult {
  if (raw === null) return emptyQuizResult();
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return emptyQuizResult();
  }
  if (!isRecord(data) || data.version !== 1 || !isRecord(data.answers)) return emptyQuizResult();
  // Object.fromEntries defines own properties, so even an id like "__proto__" stays plain data.
  const answers = Object.fromEntries(Object.entries(data.answers).filter(([, a]) => isStoredAnswer(a))) as Record<string, StoredAnswer>;
  return { version: 1, answers };
}

/** Loads a lesson's result; empty when there is none or it cannot be read. Never throws. */
export function loadQuizResult(storage: QuizStorage | null, slug: string): QuizResult {
  return parseQuizResult(readQuizRaw(storage, slug));
}

const listeners = new Set<QuizListener>();

/** Registers a listener for saves and clears on this page; returns the function that removes it. */
export function subscribeQuiz(listener: QuizListener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

function notify(slug: string): void {
  // A copy, so a listener may unsubscribe (or subscribe another) while being called.
  for (const listener of [...listeners]) listener(slug);
}

/**
 * Records an answer (replacing any earlier one for the question), writes the lesson's result
 * back and notifies subscribers. Returns the updated result — also when the write failed
 * (storage null, full or blocked), so the page can still show it for this visit.
 */
export function saveAnswer(
  storage: QuizStorage | null,
  slug: string,
  questionId: string,
  response: QuizResponse,
  correct: boolean,
  now: number = Date.now(),
): QuizResult {
  const previous = loadQuizResult(storage, slug);
  const result: QuizResult = {
    version: 1,
    answers: { ...previous.answers, [questionId]: { response, correct, at: now } },
  };
  if (storage) {
    try {
      storage.setItem(quizStorageKey(slug), JSON.stringify(result));
    } catch {
      // Quota exceeded or storage blocked: the answer lives only in the page.
    }
  }
  notify(slug);
  return result;
}

/** Forgets a lesson's answers and notifies subscribers. Never throws. */
export function clearQuiz(storage: QuizStorage | null, slug: string): void {
  if (storage) {
    try {
      storage.removeItem(quizStorageKey(slug));
    } catch {
      // Storage blocked: nothing was stored either.
    }
  }
  notify(slug);
}

/**
 * Combines results answer by answer, the most recent (`at`) answer to each question winning;
 * on a tie the later argument wins. Used to overlay answers checked on this visit — which
 * must show even when storage could not keep them — on the stored ones.
 */
export function mergeQuizResults(...results: readonly QuizResult[]): QuizResult {
  const answers: Record<string, StoredAnswer> = {};
  for (const result of results) {
    for (const [id, answer] of Object.entries(result.answers)) {
      const existing = Object.hasOwn(answers, id) ? answers[id] : undefined;
      if (!existing || answer.at >= existing.at) {
        // defineProperty rather than assignment, so an id like "__proto__" stays plain data.
        Object.defineProperty(answers, id, { value: answer, enumerable: true, writable: true, configurable: true });
      }
    }
  }
  return { version: 1, answers };
}

/**
 * Counts answered and correct questions. With `questionIds`, only answers to those questions
 * count (a lesson may have dropped a question since it was answered); without, every stored
 * answer counts. Both counts are capped at `totalQuestions`.
 */
export function summarizeQuiz(result: QuizResult, totalQuestions: number, questionIds?: readonly string[]): QuizSummary {
  const total = Math.max(0, Math.floor(totalQuestions));
  const ids = questionIds ?? Object.keys(result.answers);
  let answered = 0;
  let correct = 0;
  for (const id of new Set(ids)) {
    if (!Object.hasOwn(result.answers, id)) continue;
    answered += 1;
    if (result.answers[id].correct) correct += 1;
  }
  return { answered: Math.min(answered, total), correct: Math.min(correct, total), total };
}

/** The progress line for the course home: "Quiz: 2 of 3 correct" or "Quiz not taken yet". */
export function describeProgress(summary: QuizSummary): string {
  if (summary.answered === 0 || summary.total === 0) return 'Quiz not taken yet';
  return `Quiz: ${summary.correct} of ${summary.total} correct`;
}

/**
 * Whether a window `storage` event with this key concerns the lesson: its own key, or null
 * (another tab called `localStorage.clear()`).
 */
export function storageEventAffects(key: string | null, slug: string): boolean {
  return key === null || key === quizStorageKey(slug);
}
