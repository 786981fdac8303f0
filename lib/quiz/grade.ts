/**
 * Grading for the end-of-lesson quizzes: parsing what a learner typed, comparing it with the
 * expected value under a tolerance, and the wording that states that tolerance. Pure and
 * framework-free (DESIGN.md boundary 1); the React component in components/mdx/Quiz.tsx only
 * renders what these functions return.
 */

/**
 * How far a numeric answer may be from the expected value and still count. `abs` is an
 * absolute distance in the answer's unit, `rel` a fraction of |expected| (0.02 = 2%). When both
 * are given the larger allowance wins.
 */
export interface NumericTolerance {
  abs?: number;
  rel?: number;
}

interface QuestionBase {
  /** Stable id, unique within the quiz: the key the learner's answer is stored under. */
  id: string;
  prompt: string;
  /** Shown after the learner checks an answer, right or wrong. */
  explanation?: string;
}

/** A multiple-choice question; `answer` is the index of the correct option. */
export interface ChoiceQuestion extends QuestionBase {
  kind: 'choice';
  options: readonly string[];
  answer: number;
}

/** A question answered with a number, typed in; `unit` is shown beside the input. */
export interface NumericQuestion extends QuestionBase {
  kind: 'numeric';
  answer: number;
  tolerance?: NumericTolerance;
  unit?: string;
}

/** One quiz question, as written in a lesson's MDX. */
export type QuizQuestion = ChoiceQuestion | NumericQuestion;

/** The learner's response to a question: an option index for choices, the typed text for numbers. */
export type QuizResponse = string | number;

/**
 * The outcome of grading one response. `invalid` means the response could not be read (not a
 * number, no option selected): nothing should be recorded. `value` is the parsed number or
 * the selected option, null when invalid.
 */
export interface Grade {
  status: 'correct' | 'incorrect' | 'invalid';
  value: number | null;
}

// One unsigned decimal: "12", "12.5", ".5", "5.", optionally with an exponent ("1e-3", "2.5E9").
const PLAIN = String.raw`(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?`;
// Thousands grouped by commas, strictly in threes: "65,536", "1,234,567.25".
const GROUPED = String.raw`\d{1,3}(?:,\d{3})+(?:\.\d*)?`;
const UNSIGNED = `(?:${GROUPED}|${PLAIN})`;
const NUMBER_RE = new RegExp(`^([+-]?)(${UNSIGNED})$`);
const FRACTION_RE = new RegExp(`^([+-]?)(${UNSIGNED})\\s*/\\s*(${UNSIGNED})$`);

function unsignedValue(text: string): number {
  return Number(text.replace(/,/g, ''));
}

/**
 * Reads a number typed by a learner. Accepts surrounding whitespace, a leading sign (the
 * typographic minus "−" too), decimals (".5", "5."), scientific notation ("1e-3", "2.5E9"),
 * thousands separated by commas in groups of three ("65,536") and a simple fraction of two
 * such numbers ("3/255", "-1 / 8"). Returns null for anything else — empty text, a trailing
 * unit ("14 GB"), ambiguous commas ("1,5"), hex, "NaN", a zero denominator or a result that
 * overflows to ±Infinity.
 */
export function parseNumericAnswer(text: string): number | null {
  const s = text.trim().replace(/^\u2212/, '-');
  if (s === '') return null;
  let value: number;
  const plain = NUMBER_RE.exec(s);
  if (plain) {
    value = unsignedValue(plain[2]);
    if (plain[1] === '-') value = -value;
  } else {
    const fraction = FRACTION_RE.exec(s);
    if (!fraction) return null;
    const numerator = unsignedValue(fraction[2]);
    const denominator = unsignedValue(fraction[3]);
    if (denominator === 0) return null;
    value = numerator / denominator;
    if (fraction[1] === '-') value = -value;
  }
  return Number.isFinite(value) ? value : null;
}

function assertTolerance(tolerance: NumericTolerance): void {
  for (const key of ['abs', 'rel'] as const) {
    const t = tolerance[key];
    if (t !== undefined && !(Number.isFinite(t) && t >= 0)) {
      throw new RangeError(`Quiz tolerance ${key} must be a finite number >= 0, got ${t}`);
    }
  }
}

/**
 * The largest |value − expected| that counts as correct: max(abs, rel·|expected|), or
 * 1e-9·|expected| (equality up to rounding) when neither `abs` nor `rel` is given.
 * Throws a RangeError for a negative or non-finite tolerance (an authoring error, caught
 * earlier by {@link validateQuestions}).
 */
export function allowedError(expected: number, tolerance: NumericTolerance = {}): number {
  assertTolerance(tolerance);
  if (tolerance.abs === undefined && tolerance.rel === undefined) return 1e-9 * Math.abs(expected);
  return Math.max(tolerance.abs ?? 0, (tolerance.rel ?? 0) * Math.abs(expected));
}

/**
 * Grades typed text against `expected`: `invalid` when {@link parseNumericAnswer} cannot read
 * it, `correct` when |value − expected| <= {@link allowedError} (the edges count: 0.0123 is
 * within ±0.0005 of 0.0118 even though the subtraction rounds to slightly more than 0.0005),
 * `incorrect` otherwise. Throws a RangeError for a non-finite `expected` or a bad tolerance.
 */
export function gradeNumeric(text: string, expected: number, tolerance: NumericTolerance = {}): Grade {
  if (!Number.isFinite(expected)) throw new RangeError(`Quiz expected value must be finite, got ${expected}`);
  const allowed = allowedError(expected, tolerance);
  const value = parseNumericAnswer(text);
  if (value === null) return { status: 'invalid', value: null };
  // A few ulps of slack so that answers exactly on the tolerance edge are not rejected by
  // the rounding error of the subtraction itself.
  const slack = 8 * Number.EPSILON * Math.max(Math.abs(value), Math.abs(expected));
  const correct = Math.abs(value - expected) <= allowed + slack;
  return { status: correct ? 'correct' : 'incorrect', value };
}

/**
 * Grades a multiple-choice pick: `invalid` when nothing (null) or something that is not an
 * option index (negative, fractional, NaN) is selected, otherwise `correct` when it is `answer`.
 */
export function gradeChoice(selected: number | null, answer: number): Grade {
  if (selected === null || !Number.isInteger(selected) || selected < 0) return { status: 'invalid', value: null };
  return { status: selected === answer ? 'correct' : 'incorrect', value: selected };
}

/**
 * Grades a response to any question: a choice needs an option index, a numeric question the
 * typed text; a response of the wrong kind (or null) is `invalid`.
 */
export function gradeQuestion(question: QuizQuestion, response: QuizResponse | null): Grade {
  if (question.kind === 'choice') {
    return typeof response === 'number' ? gradeChoice(response, question.answer) : gradeChoice(null, question.answer);
  }
  if (typeof response !== 'string') return { status: 'invalid', value: null };
  return gradeNumeric(response, question.answer, question.tolerance);
}

/**
 * Formats a number for display without floating-point noise (0.1 + 0.2 → "0.3"), keeping 12
 * significant digits: "14", "0.0118", "65536", "1e-7".
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const rounded = Number(value.toPrecision(12));
  return String(Object.is(rounded, -0) ? 0 : rounded);
}

/** A value with its unit, if any: "14 GB", "0.0118". */
export function formatQuantity(value: number, unit?: string): string {
  return unit ? `${formatNumber(value)} ${unit}` : formatNumber(value);
}

/**
 * States a tolerance in words: "within ±0.0005" (with the unit when given: "within ±0.5 GB"),
 * "within 1%", "within ±0.5 GB or 2%, whichever is larger", or "exactly" when there is none.
 */
export function describeTolerance(tolerance: NumericTolerance = {}, unit?: string): string {
  assertTolerance(tolerance);
  const parts: string[] = [];
  if (tolerance.abs) parts.push(`±${formatQuantity(tolerance.abs, unit)}`);
  if (tolerance.rel) parts.push(`${formatNumber(tolerance.rel * 100)}%`);
  if (parts.length === 0) return 'exactly';
  if (parts.length === 1) return `within ${parts[0]}`;
  return `within ${parts[0]} or ${parts[1]}, whichever is larger`;
}

/** The sentence shown under a numeric input: "Answers within ±2% count." or "Give the exact value." */
export function toleranceHint(tolerance: NumericTolerance = {}, unit?: string): string {
  const description = describeTolerance(tolerance, unit);
  return description === 'exactly' ? 'Give the exact value.' : `Answers ${description} count.`;
}

/** The message for a numeric response that could not be read as a number. */
export const INVALID_NUMBER_MESSAGE = 'Type a number, e.g. 0.0118 or 3/255.';

/** The message for checking a multiple-choice question with no option selected. */
export const INVALID_CHOICE_MESSAGE = 'Choose one of the options, then press Check.';

/**
 * Checks a quiz as written by a lesson author and lists every problem found (empty when the
 * quiz is sound): missing or repeated ids, fewer than two options, an answer index out of
 * range, a non-finite expected number, a negative or non-finite tolerance.
 */
export function validateQuestions(questions: readonly QuizQuestion[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  questions.forEach((q, i) => {
    const name = `Question ${i + 1}${q.id ? ` ("${q.id}")` : ''}`;
    if (typeof q.id !== 'string' || q.id.trim() === '') problems.push(`${name} has no id.`);
    else if (seen.has(q.id)) problems.push(`${name} reuses an id.`);
    else seen.add(q.id);
    if (q.kind === 'choice') {
      if (!Array.isArray(q.options) || q.options.length < 2) problems.push(`${name} needs at least two options.`);
      else if (!Number.isInteger(q.answer) || q.answer < 0 || q.answer >= q.options.length) {
        problems.push(`${name} has answer ${q.answer}, which is not an option index (0–${q.options.length - 1}).`);
      }
    } else if (q.kind === 'numeric') {
      if (typeof q.answer !== 'number' || !Number.isFinite(q.answer)) problems.push(`${name} has a non-finite answer.`);
      for (const key of ['abs', 'rel'] as const) {
        const t = q.tolerance?.[key];
        if (t !== undefined && !(typeof t === 'number' && Number.isFinite(t) && t >= 0)) {
          problems.push(`${name} has tolerance ${key} = ${String(t)}; it must be a number >= 0.`);
        }
      }
    } else {
      problems.push(`${name} has an unknown kind "${String((q as { kind?: unknown }).kind)}".`);
    }
  });
  return problems;
}
