/**
 * Quiz results kept per lesson in Web Storage (localStorage in the browser), under the key
 * `lowbit:quiz:<lessonSlug>`. The storage is injected, so this is tested in Node with a Map;
 * every function tolerates a missing, full or throwing storage (private browsing, disabled
 * cookies) and malformed or outdated records, and never throws.
 *
 * Scoring: the first answer checked for a question is the one that counts ("2 of 3 correct");
 * a question first answered wrong and then answered right, before the learner asked to see the
 * answer, counts separately as "correct on retry". Records written before attempts were kept
 * (`{ response, correct, at }` only) are read as a first attempt with that outcome; the
 * fields added since are optional in the stored JSON, so the record stays `version: 1` and
 * older pages can still read it.
 *
 * A small in-page event bus (`subscribeQuiz`) tells other components on the same page — the
 * quiz's score, the course home's progress badges — that a lesson's result changed. Changes
 * made in other tabs arrive as the window's `storage` event, which the components listen to;
 * `storageEventAffects` says whether such an event concerns a lesson.
 */
import type { QuizResponse } from './grade';

/** The part of the Web Storage API the quiz uses. */
export type QuizStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/**
 * What is recorded for one question: the learner's last checked response and whether it was
 * right, when (ms since epoch), and the attempt history the score needs.
 */
export interface StoredAnswer {
  response: QuizResponse;
  correct: boolean;
  at: number;
  /** Whether the first checked response was right: the score counts this one. */
  firstCorrect: boolean;
  /** How many responses were checked. */
  tries: number;
  /** A right response followed a wrong first one, before the answer was shown. */
  retryCorrect: boolean;
  /** The learner chose to see the answer (or saw it under the earlier quiz, which always showed it). */
  revealed: boolean;
}

/** A lesson's stored quiz result, keyed by question id. */
export interface QuizResult {
  version: 1;
  answers: Record<string, StoredAnswer>;
}

/**
 * Counts for a score line: questions answered, right at the first try, right on a later try
 * (see {@link StoredAnswer.retryCorrect}), and in the quiz.
 */
export interface QuizSummary {
  answered: number;
  correct: number;
  retried: number;
  total: number;
}

/** How a question stands: not answered, right first time, right on retry, or wrong. */
export type AnswerOutcome = 'unanswered' | 'correct' | 'retry' | 'wrong';

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

function isFlag(value: unknown): boolean {
  return value === undefined || typeof value === 'boolean';
}

/**
 * Reads one stored answer, or null when it is malformed. An answer stored before attempts
 * were kept has only response, correct and at: it is read as one attempt with that outcome,
 * revealed if it was wrong (that quiz showed the expected answer and explanation after any check).
 */
function readStoredAnswer(value: unknown): StoredAnswer | null {
  if (!isRecord(value)) return null;
  const { response, correct, at, firstCorrect, tries, retryCorrect, revealed } = value;
  const responseOk = typeof response === 'string' || (typeof response === 'number' && Number.isFinite(response));
  if (!responseOk || typeof correct !== 'boolean' || typeof at !== 'number' || !Number.isFinite(at)) return null;
  if (!isFlag(firstCorrect) || !isFlag(retryCorrect) || !isFlag(revealed)) return null;
  if (tries !== undefined && !(typeof tries === 'number' && Number.isInteger(tries) && tries >= 1)) return null;
  const first = typeof firstCorrect === 'boolean' ? firstCorrect : correct;
  return {
    response,
    correct,
    at,
    firstCorrect: first,
    tries: typeof tries === 'number' ? tries : 1,
    retryCorrect: !first && retryCorrect === true,
    revealed: typeof revealed === 'boolean' ? revealed : !correct,
  };
}

/**
 * Parses stored text into a result. Null, malformed JSON, a record of another version or
 * shape give an empty result; individual malformed answers are dropped, the rest kept;
 * answers in the earlier format are read as described at {@link readStoredAnswer}.
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
  const answers = Object.fromEntries(
    Object.entries(data.answers).flatMap(([id, a]) => {
      const answer = readStoredAnswer(a);
      return answer ? [[id, answer] as const] : [];
    }),
  ) as Record<string, StoredAnswer>;
  return { version: 1, answers };
}

/**
 * The record after the learner checks `response` (graded `correct`): the first check fixes
 * `firstCorrect`; a right check after a wrong first one sets `retryCorrect`, unless the answer
 * was shown before it. `previous` is the question’s record so far, if any; `now` stamps it.
 */
export function recordCheck(
  previous: StoredAnswer | undefined,
  response: QuizResponse,
  correct: boolean,
  now: number = Date.now(),
): StoredAnswer {
  if (!previous) return { response, correct, at: now, firstCorrect: correct, tries: 1, retryCorrect: false, revealed: false };
  return {
    ...previous,
    response,
    correct,
    at: now,
    tries: previous.tries + 1,
    retryCorrect: previous.retryCorrect || (correct && !previous.firstCorrect && !previous.revealed),
  };
}

/** The record after the learner asks to see the answer; the last response stays as it was. */
export function recordReveal(previous: StoredAnswer, now: number = Date.now()): StoredAnswer {
  return { ...previous, revealed: true, at: now };
}

/** How a question stands in the score, from its record (undefined: not answered). */
export function answerOutcome(answer: StoredAnswer | undefined): AnswerOutcome {
  if (!answer) return 'unanswered';
  if (answer.firstCorrect) return 'correct';
  return answer.retryCorrect ? 'retry' : 'wrong';
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
 * Stores a question's record (from {@link recordCheck} or {@link recordReveal}), replacing
 * the earlier one, writes the lesson's result back and notifies subscribers. Returns the
 * updated result — also when the write failed (storage null, full or blocked), so the page can
 * still show it for this visit.
 */
export function storeAnswer(storage: QuizStorage | null, slug: string, questionId: string, answer: StoredAnswer): QuizResult {
  const previous = loadQuizResult(storage, slug);
  const answers = { ...previous.answers };
  // defineProperty rather than assignment, so an id like "__proto__" stays plain data.
  Object.defineProperty(answers, questionId, { value: answer, enumerable: true, writable: true, configurable: true });
  const result: QuizResult = { version: 1, answers };
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

/**
 * Records a checked response on top of the stored record for the question
 * ({@link recordCheck}) and stores it ({@link storeAnswer}).
 */
export function saveAnswer(
  storage: QuizStorage | null,
  slug: string,
  questionId: string,
  response: QuizResponse,
  correct: boolean,
  now: number = Date.now(),
): QuizResult {
  const stored = loadQuizResult(storage, slug).answers;
  const previous = Object.hasOwn(stored, questionId) ? stored[questionId] : undefined;
  return storeAnswer(storage, slug, questionId, recordCheck(previous, response, correct, now));
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
 * Counts answered questions, those right at the first try and those right on retry
 * ({@link answerOutcome}). With `questionIds`, only answers to those questions count (a lesson
 * may have dropped a question since it was answered); without, every stored answer counts.
 * Every count is capped at `totalQuestions`.
 */
export function summarizeQuiz(result: QuizResult, totalQuestions: number, questionIds?: readonly string[]): QuizSummary {
  const total = Math.max(0, Math.floor(totalQuestions));
  const ids = questionIds ?? Object.keys(result.answers);
  let answered = 0;
  let correct = 0;
  let retried = 0;
  for (const id of new Set(ids)) {
    if (!Object.hasOwn(result.answers, id)) continue;
    answered += 1;
    const outcome = answerOutcome(result.answers[id]);
    if (outcome === 'correct') correct += 1;
    else if (outcome === 'retry') retried += 1;
  }
  correct = Math.min(correct, total);
  return { answered: Math.min(answered, total), correct, retried: Math.min(retried, total - correct), total };
}

/** The score: "2 of 3 correct", with " · 1 correct on retry" when any were. */
export function describeScore(summary: QuizSummary): string {
  const score = `${summary.correct} of ${summary.total} correct`;
  return summary.retried > 0 ? `${score} · ${summary.retried} correct on retry` : score;
}

/** The progress line for the course home: "Quiz: 2 of 3 correct · 1 correct on retry" or "Quiz not taken yet". */
export function describeProgress(summary: QuizSummary): string {
  if (summary.answered === 0 || summary.total === 0) return 'Quiz not taken yet';
  return `Quiz: ${describeScore(summary)}`;
}

/**
 * Whether a window `storage` event with this key concerns the lesson: its own key, or null
 * (another tab called `localStorage.clear()`).
 */
export function storageEventAffects(key: string | null, slug: string): boolean {
  return key === null || key === quizStorageKey(slug);
}
