/**
 * Grading for the end-of-lesson quizzes: parsing what a learner typed, comparing it with the
 * expected value under a tolerance, and the wording that states that tolerance. Pure and
 * framework-free (docs/design.md boundary 1); the quiz components (components/mdx/Quiz.tsx and
 * components/mdx/quiz/) only render what these functions return.
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

/**
 * What every question has. `Rich` is the type of its explanation: text here, where lib/ knows no
 * React; the quiz component takes a React node, so that a figure component can compute the
 * numbers an explanation quotes (docs/design.md rule 7). Grading never reads it.
 */
interface QuestionBase<Rich> {
  /** Stable id, unique within the quiz: the key the learner's answer is stored under. */
  id: string;
  prompt: string;
  /** Shown once the learner has answered correctly, or has asked to see the answer. */
  explanation?: Rich;
}

/** A multiple-choice question; `answer` is the index of the correct option. */
export interface ChoiceQuestion<Rich = string> extends QuestionBase<Rich> {
  kind: 'choice';
  options: readonly string[];
  answer: number;
}

/**
 * A further value a numeric question accepts, for questions whose answer depends on a
 * convention the prompt does not fix (e.g. a 4-bit scale of absmax/7 or absmax/7.5).
 * `tolerance` defaults to the question's; `note` names the convention ("absmax/7, the k/7 grid").
 */
export interface AcceptedAnswer {
  answer: number;
  tolerance?: NumericTolerance;
  note?: string;
}

/**
 * A question answered with a number, typed in; `unit` is shown beside the input (and may be
 * typed after the number). `answer` is the expected value, shown when the learner asks for it;
 * `alsoAccept` lists other values that count as correct too.
 */
export interface NumericQuestion<Rich = string> extends QuestionBase<Rich> {
  kind: 'numeric';
  answer: number;
  tolerance?: NumericTolerance;
  unit?: string;
  alsoAccept?: readonly AcceptedAnswer[];
}

/** One quiz question, its explanation of type `Rich` (see QuestionBase). */
export type QuizQuestion<Rich = string> = ChoiceQuestion<Rich> | NumericQuestion<Rich>;

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
  /**
   * For a correct numeric answer, which accepted value it matched: 0 for the question's
   * `answer`, i + 1 for `alsoAccept[i]`. Absent otherwise.
   */
  accepted?: number;
}

// One unsigned decimal with a decimal point: "12", "12.5", ".5", "5.", optionally with an exponent ("1e-3", "2.5E9").
const PLAIN = String.raw`(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?`;
// Thousands grouped by commas, strictly in threes: "65,536", "1,234,567.25".
const GROUPED = String.raw`[1-9]\d{0,2}(?:,\d{3})+(?:\.\d*)?`;
// One decimal comma: "0,5", "1,25", ",5", "1,5e-3".
const COMMA_DECIMAL = String.raw`(?:\d+,\d+|,\d+)(?:[eE][+-]?\d+)?`;
const UNSIGNED = `(?:${GROUPED}|${PLAIN}|${COMMA_DECIMAL})`;
const NUMBER_RE = new RegExp(`^([+-]?)(${UNSIGNED})$`);
const FRACTION_RE = new RegExp(`^([+-]?)(${UNSIGNED})\\s*/\\s*(${UNSIGNED})$`);
const GROUPED_RE = new RegExp(`^${GROUPED}$`);
const COMMA_DECIMAL_RE = new RegExp(`^${COMMA_DECIMAL}$`);

/**
 * The values an unsigned number can mean. A comma is a thousands separator when it groups
 * digits in threes ("65,536") and a decimal comma otherwise ("0,5", "1,25"); one comma
 * followed by exactly three digits ("1,234") is read both ways, thousands first.
 */
function unsignedReadings(text: string): number[] {
  const readings: number[] = [];
  if (GROUPED_RE.test(text)) readings.push(Number(text.replace(/,/g, '')));
  if (COMMA_DECIMAL_RE.test(text)) readings.push(Number(text.replace(',', '.')));
  if (readings.length === 0) readings.push(Number(text));
  return readings;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Removes the question's unit from the end of typed text, if it is there: "14 GB", "14GB" and
 * "14 gb" all give "14" for the unit "GB"; "4.5 bit" gives "4.5" for "bits" (a word unit
 * ending in "s" may lose it; any case). Text without a unit comes back unchanged, so does a different unit
 * ("14 MB"), which then fails to parse.
 */
function stripUnit(text: string, unit: string | undefined): string {
  const u = unit?.trim();
  if (!u) return text;
  const stem = u.length > 2 && /s$/i.test(u) ? u.slice(0, -1) : u;
  const m = new RegExp(`^(.*?)\\s*(?:${escapeRegExp(stem)}s?)$`, 'iu').exec(text);
  return m && m[1] !== '' ? m[1] : text;
}

/**
 * Every value the text a learner typed can mean, most likely first; empty when it cannot be
 * read. Accepts surrounding whitespace, a leading sign (the typographic minus "−" too),
 * decimals with a point or a comma (".5", "5.", "0,5"), scientific notation ("1e-3",
 * "2.5E9"), thousands separated by commas in groups of three ("65,536"), a simple fraction of
 * two such numbers ("3/255", "-1 / 8"), and the question's `unit` after any of these ("14 GB",
 * "14gb"). A comma before exactly three digits is ambiguous ("1,234" is 1234 in English and
 * 1.234 with a decimal comma), so both readings are returned. Rejects empty text, another
 * unit ("14 MB" when the unit is GB, or any unit when the question has none), mixed separators
 * ("1.234,5"), hex, "NaN", a zero denominator and results that overflow to ±Infinity.
 */
export function numericReadings(text: string, unit?: string): number[] {
  const s = stripUnit(text.trim().replace(/^\u2212/, '-'), unit);
  if (s === '') return [];
  let values: number[];
  const plain = NUMBER_RE.exec(s);
  if (plain) {
    values = unsignedReadings(plain[2]).map((v) => (plain[1] === '-' ? -v : v));
  } else {
    const fraction = FRACTION_RE.exec(s);
    if (!fraction) return [];
    const denominators = unsignedReadings(fraction[3]);
    if (denominators.includes(0)) return [];
    values = unsignedReadings(fraction[2]).flatMap((n) => denominators.map((d) => (fraction[1] === '-' ? -n / d : n / d)));
  }
  return [...new Set(values)].filter((v) => Number.isFinite(v));
}

/**
 * Reads a number typed by a learner: the first of {@link numericReadings}, or null when the
 * text cannot be read ("1,234" gives 1234; grading also tries 1.234).
 */
export function parseNumericAnswer(text: string, unit?: string): number | null {
  const readings = numericReadings(text, unit);
  return readings.length > 0 ? readings[0] : null;
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

function withinTolerance(value: number, expected: number, tolerance: NumericTolerance): boolean {
  // A few ulps of slack so that answers exactly on the tolerance edge are not rejected by
  // the rounding error of the subtraction itself.
  const slack = 8 * Number.EPSILON * Math.max(Math.abs(value), Math.abs(expected));
  return Math.abs(value - expected) <= allowedError(expected, tolerance) + slack;
}

/** Options of {@link gradeNumeric}: the unit the learner may type, and further accepted values. */
export interface NumericGradeOptions {
  unit?: string;
  alsoAccept?: readonly AcceptedAnswer[];
}

/**
 * Grades typed text against `expected`: `invalid` when {@link numericReadings} cannot read
 * it, `correct` when some reading lies within {@link allowedError} of `expected` or of one of
 * `alsoAccept` (each under its own tolerance, else `tolerance`) — the edges count: 0.0123 is
 * within ±0.0005 of 0.0118 even though the subtraction rounds to slightly more than 0.0005 —
 * and `incorrect` otherwise. Throws a RangeError for a non-finite expected value or a bad
 * tolerance.
 */
export function gradeNumeric(
  text: string,
  expected: number,
  tolerance: NumericTolerance = {},
  options: NumericGradeOptions = {},
): Grade {
  const targets: AcceptedAnswer[] = [{ answer: expected, tolerance }, ...(options.alsoAccept ?? [])];
  for (const target of targets) {
    if (!Number.isFinite(target.answer)) throw new RangeError(`Quiz expected value must be finite, got ${target.answer}`);
    assertTolerance(target.tolerance ?? tolerance);
  }
  const readings = numericReadings(text, options.unit);
  if (readings.length === 0) return { status: 'invalid', value: null };
  for (const [accepted, target] of targets.entries()) {
    const value = readings.find((v) => withinTolerance(v, target.answer, target.tolerance ?? tolerance));
    if (value !== undefined) return { status: 'correct', value, accepted };
  }
  return { status: 'incorrect', value: readings[0] };
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
export function gradeQuestion(question: QuizQuestion<unknown>, response: QuizResponse | null): Grade {
  if (question.kind === 'choice') {
    return typeof response === 'number' ? gradeChoice(response, question.answer) : gradeChoice(null, question.answer);
  }
  if (typeof response !== 'string') return { status: 'invalid', value: null };
  return gradeNumeric(response, question.answer, question.tolerance, { unit: question.unit, alsoAccept: question.alsoAccept });
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

function significantDigits(decimal: string): number {
  return decimal.replace(/^-/, '').replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '').length;
}

/**
 * An accepted value as shown when the learner asks for the answer, with its unit if any: the
 * value as {@link formatNumber} writes it when that takes at most 6 significant digits ("14 GB",
 * "0.016", "4.28125"), else rounded to the fewest significant digits that stay within a tenth
 * of what the tolerance allows (0.12/7 within 1% → "0.01714"), so the shown value is itself
 * well inside the accepted range. An answer required exactly ({ abs: 0 }) is not rounded.
 */
export function formatAnswer(value: number, tolerance: NumericTolerance = {}, unit?: string): string {
  const full = formatNumber(value);
  if (!Number.isFinite(value) || significantDigits(full) <= 6) return unit ? `${full} ${unit}` : full;
  const allowed = allowedError(value, tolerance);
  let shown = full;
  for (let digits = 1; digits < 12; digits++) {
    const rounded = Number(value.toPrecision(digits));
    if (Math.abs(rounded - value) <= allowed / 10) {
      shown = formatNumber(rounded);
      break;
    }
  }
  return unit ? `${shown} ${unit}` : shown;
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
export const INVALID_NUMBER_MESSAGE = 'Type a number, e.g. 0.5, 0,5 or 3/8.';

/** The message for an unreadable numeric response, naming the unit that may follow the number. */
export function invalidNumberMessage(unit?: string): string {
  return unit ? `Type a number, e.g. 0.5, 0,5 or 3/8, optionally followed by ${unit}.` : INVALID_NUMBER_MESSAGE;
}

/** The message for checking a multiple-choice question with no option selected. */
export const INVALID_CHOICE_MESSAGE = 'Choose one of the options, then press Check.';

function toleranceProblems(name: string, tolerance: NumericTolerance | undefined): string[] {
  const problems: string[] = [];
  for (const key of ['abs', 'rel'] as const) {
    const t = tolerance?.[key];
    if (t !== undefined && !(typeof t === 'number' && Number.isFinite(t) && t >= 0)) {
      problems.push(`${name} has tolerance ${key} = ${String(t)}; it must be a number >= 0.`);
    }
  }
  return problems;
}

/**
 * Checks a quiz as written by a lesson author and lists every problem found (empty when the
 * quiz is sound): missing or repeated ids, fewer than two options, an answer index out of
 * range, a non-finite expected number, a negative or non-finite tolerance (also in `alsoAccept`).
 */
export function validateQuestions(questions: readonly QuizQuestion<unknown>[]): string[] {
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
      problems.push(...toleranceProblems(name, q.tolerance));
      if (q.alsoAccept !== undefined && !Array.isArray(q.alsoAccept)) problems.push(`${name} has alsoAccept that is not a list.`);
      else {
        (q.alsoAccept ?? []).forEach((alt, j) => {
          const altName = `${name}, alsoAccept[${j}],`;
          if (typeof alt?.answer !== 'number' || !Number.isFinite(alt.answer)) problems.push(`${altName} has a non-finite answer.`);
          problems.push(...toleranceProblems(altName, alt?.tolerance));
        });
      }
    } else {
      problems.push(`${name} has an unknown kind "${String((q as { kind?: unknown }).kind)}".`);
    }
  });
  return problems;
}
