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
 * A record this version cannot read — another `version` (written by a later course), or text
 * that is not such a record at all — is "foreign" ({@link readQuizRecord}): it is never
 * overwritten or removed silently. Writes and clears leave it as it is unless the caller passes
 * `replaceForeign: true`, which the quiz does only after the learner confirms.
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
  /**
   * The first checked response, kept so the first try can be graded again when the question
   * changes (lib/quiz/regrade). Absent in records written before it was kept.
   */
  firstResponse?: QuizResponse;
  /**
   * Set when the answer was graded again against a changed question and its outcome changed
   * (lib/quiz/regrade); cleared by the next check. The quiz says so beside the verdict.
   */
  regraded?: true;
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

/**
 * What is stored for a lesson: nothing (`none`), a record this version reads (`current`), or a
 * record it cannot read (`foreign`: another version, or not a quiz record at all), kept as is.
 */
export type StoredQuizState = 'none' | 'current' | 'foreign';

/**
 * A lesson's stored record as read: its state, the result (empty unless `current`), the raw
 * text it was read from, and for a foreign record the version it names (null when it names none
 * or cannot be parsed).
 */
export interface StoredQuiz {
  state: StoredQuizState;
  result: QuizResult;
  raw: string | null;
  foreignVersion: number | null;
}

/** Options of writes and clears: whether a foreign record may be replaced (after the learner confirmed). */
export interface QuizWriteOptions {
  replaceForeign?: boolean;
}

/** How a write went: written, refused because a foreign record is kept, or failed (storage null, full or blocked). */
export type QuizWriteStatus = 'written' | 'kept-foreign' | 'failed';

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

function isResponse(value: unknown): value is QuizResponse {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
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
  const { response, correct, at, firstCorrect, tries, retryCorrect, revealed, firstResponse, regraded } = value;
  if (!isResponse(response) || typeof correct !== 'boolean' || typeof at !== 'number' || !Number.isFinite(at)) return null;
  if (!isFlag(firstCorrect) || !isFlag(retryCorrect) || !isFlag(revealed) || !isFlag(regraded)) return null;
  if (tries !== undefined && !(typeof tries === 'number' && Number.isInteger(tries) && tries >= 1)) return null;
  if (firstResponse !== undefined && !isResponse(firstResponse)) return null;
  const first = typeof firstCorrect === 'boolean' ? firstCorrect : correct;
  const answer: StoredAnswer = {
    response,
    correct,
    at,
    firstCorrect: first,
    tries: typeof tries === 'number' ? tries : 1,
    retryCorrect: !first && retryCorrect === true,
    revealed: typeof revealed === 'boolean' ? revealed : !correct,
  };
  if (firstResponse !== undefined) answer.firstResponse = firstResponse;
  if (regraded === true) answer.regraded = true;
  return answer;
}

/**
 * Reads stored text: `none` for null; `foreign` for malformed JSON or anything that is not a
 * `{ version: 1, answers: { … } }` object — another version (its number in `foreignVersion`) or
 * another shape — with an empty result; otherwise `current`, individual malformed answers
 * dropped and the rest kept, answers in the earlier format read as described at
 * {@link readStoredAnswer}.
 */
export function readQuizRecord(raw: string | null): StoredQuiz {
  if (raw === null) return { state: 'none', result: emptyQuizResult(), raw, foreignVersion: null };
  const foreign = (version: unknown): StoredQuiz => ({
    state: 'foreign',
    result: emptyQuizResult(),
    raw,
    foreignVersion: typeof version === 'number' && Number.isFinite(version) ? version : null,
  });
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return foreign(null);
  }
  if (!isRecord(data)) return foreign(null);
  if (data.version !== 1 || !isRecord(data.answers)) return foreign(data.version);
  // Object.fromEntries defines own properties, so even an id like "__proto__" stays plain data.
  const answers = Object.fromEntries(
    Object.entries(data.answers).flatMap(([id, a]) => {
      const answer = readStoredAnswer(a);
      return answer ? [[id, answer] as const] : [];
    }),
  ) as Record<string, StoredAnswer>;
  return { state: 'current', result: { version: 1, answers }, raw, foreignVersion: null };
}

/** The result in stored text ({@link readQuizRecord}); empty when there is none or it is foreign. */
export function parseQuizResult(raw: string | null): QuizResult {
  return readQuizRecord(raw).result;
}

/**
 * What the quiz says about a foreign record ({@link readQuizRecord}): that it is kept as it is,
 * and that answers checked here are saved only if the learner replaces it.
 */
export function foreignRecordNotice(record: Pick<StoredQuiz, 'foreignVersion'>): string {
  const origin =
    record.foreignVersion !== null && record.foreignVersion > 1
      ? 'were saved by a newer version of the course'
      : 'were saved by a different version of the course';
  return `Your saved answers for this quiz ${origin} and are kept as they are. Answers you check here are not saved unless you replace them.`;
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
  if (!previous) {
    return { response, correct, at: now, firstCorrect: correct, tries: 1, retryCorrect: false, revealed: false, firstResponse: response };
  }
  // A new check is graded against the current question: a note about re-grading no longer applies.
  const rest: StoredAnswer = { ...previous };
  delete rest.regraded;
  return {
    ...rest,
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

/** Loads a lesson's stored record with its state ({@link readQuizRecord}). Never throws. */
export function loadQuizRecord(storage: QuizStorage | null, slug: string): StoredQuiz {
  return readQuizRecord(readQuizRaw(storage, slug));
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

function setItem(storage: QuizStorage | null, slug: string, result: QuizResult): QuizWriteStatus {
  if (!storage) return 'failed';
  try {
    storage.setItem(quizStorageKey(slug), JSON.stringify(result));
    return 'written';
  } catch {
    // Quota exceeded or storage blocked: the answers live only in the page.
    return 'failed';
  }
}

/**
 * Writes a lesson's whole result and notifies subscribers — unless a foreign record is stored
 * and `options.replaceForeign` is not set: then nothing is written ('kept-foreign').
 */
export function writeQuizResult(
  storage: QuizStorage | null,
  slug: string,
  result: QuizResult,
  options: QuizWriteOptions = {},
): QuizWriteStatus {
  if (!options.replaceForeign && loadQuizRecord(storage, slug).state === 'foreign') return 'kept-foreign';
  const status = setItem(storage, slug, result);
  notify(slug);
  return status;
}

/**
 * Writes `result` only if the stored text is still `expectedRaw` (what the caller read and
 * derived `result` from), so a change made meanwhile, e.g. in another tab, is not overwritten;
 * never over a foreign record. Notifies subscribers when it wrote; returns whether it did.
 */
export function updateQuizResult(storage: QuizStorage | null, slug: string, expectedRaw: string | null, result: QuizResult): boolean {
  const stored = loadQuizRecord(storage, slug);
  if (stored.raw !== expectedRaw || stored.state === 'foreign') return false;
  const written = setItem(storage, slug, result) === 'written';
  if (written) notify(slug);
  return written;
}

/**
 * Stores a question's record (from {@link recordCheck} or {@link recordReveal}), replacing
 * the earlier one, writes the lesson's result back and notifies subscribers. Returns the
 * updated result — also when the write failed (storage null, full or blocked), so the page can
 * still show it for this visit. A foreign record is left as it is (the returned result then
 * holds this answer only), unless `options.replaceForeign` is set: then it is replaced by a
 * record holding this answer.
 */
export function storeAnswer(
  storage: QuizStorage | null,
  slug: string,
  questionId: string,
  answer: StoredAnswer,
  options: QuizWriteOptions = {},
): QuizResult {
  const previous = loadQuizResult(storage, slug);
  const answers = { ...previous.answers };
  // defineProperty rather than assignment, so an id like "__proto__" stays plain data.
  Object.defineProperty(answers, questionId, { value: answer, enumerable: true, writable: true, configurable: true });
  const result: QuizResult = { version: 1, answers };
  writeQuizResult(storage, slug, result, options);
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

/**
 * Forgets a lesson's answers and notifies subscribers. A foreign record is left as it is unless
 * `options.replaceForeign` is set. Never throws.
 */
export function clearQuiz(storage: QuizStorage | null, slug: string, options: QuizWriteOptions = {}): void {
  if (!options.replaceForeign && loadQuizRecord(storage, slug).state === 'foreign') return;
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

/** The course home's line for a lesson whose stored record is foreign ({@link readQuizRecord}). */
export const FOREIGN_PROGRESS = 'Quiz: saved by another version';

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
