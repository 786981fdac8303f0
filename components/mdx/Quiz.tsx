'use client';

import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { flushSync } from 'react-dom';
import {
  formatAnswer,
  gradeQuestion,
  INVALID_CHOICE_MESSAGE,
  invalidNumberMessage,
  toleranceHint,
  validateQuestions,
  type QuizQuestion,
  type QuizResponse,
} from '@/lib/quiz/grade';
import { regradeQuizResult } from '@/lib/quiz/regrade';
import {
  answerOutcome,
  clearQuiz,
  describeScore,
  emptyQuizResult,
  foreignRecordNotice,
  mergeQuizResults,
  recordCheck,
  recordReveal,
  storeAnswer,
  summarizeQuiz,
  updateQuizResult,
  writeQuizResult,
  type StoredAnswer,
} from '@/lib/quiz/storage';
import { INPUT_LIMITS } from '@/lib/text/input';
import { browserQuizStorage, useStoredQuiz } from '@/components/ui/QuizProgress';

/** The question types, defined with their grading in lib/quiz/grade. */
export type { QuizQuestion, ChoiceQuestion, NumericQuestion, NumericTolerance, AcceptedAnswer } from '@/lib/quiz/grade';

/** Props of {@link Quiz}, written in a lesson's MDX. */
export interface QuizProps {
  /** The lesson's slug: answers are stored under `lowbit:quiz:<lesson>`. */
  lesson: string;
  questions: readonly QuizQuestion[];
}

type AnswerMap = Record<string, StoredAnswer>;

function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  if (!Object.hasOwn(record, key)) return record;
  const copy = { ...record };
  delete copy[key];
  return copy;
}

/**
 * The short quiz at the end of a lesson. Each question is checked on its own. A wrong answer
 * is only marked wrong: the learner may try again or choose "Show answer", which shows the
 * expected answer and the explanation; a right answer shows the explanation. The score counts
 * first answers, and right answers after a wrong first one apart ("correct on retry").
 * Answers are kept in localStorage (lib/quiz/storage) and restored on the next visit, graded
 * again against the current questions (lib/quiz/regrade): a changed outcome is written back and
 * noted beside the verdict; answers to questions the quiz no longer has are neither shown nor
 * counted. A stored record of another version is kept as it is: the quiz says so, grades
 * answers on the page without saving them, and replaces the record only when the learner
 * chooses to. Grading, scoring and storage live in lib/quiz; this component holds only what
 * the learner is typing.
 */
export function Quiz({ lesson, questions }: QuizProps) {
  const uid = useId();
  const stored = useStoredQuiz(lesson);
  const foreign = stored.state === 'foreign';
  // Edits not yet checked, per question id.
  const [drafts, setDrafts] = useState<Record<string, QuizResponse>>({});
  // Answers checked on this visit: they still show if storage is blocked and cannot keep them.
  const [checked, setChecked] = useState<AnswerMap>({});
  // Questions whose last Check found nothing gradable.
  const [invalid, setInvalid] = useState<Record<string, true>>({});
  // What became of a foreign record the learner chose to replace: shown in its notice's place.
  const [replaced, setReplaced] = useState<'written' | 'failed' | null>(null);

  const problems = useMemo(() => validateQuestions(questions), [questions]);
  // The stored answers graded again against these questions (grading needs valid questions).
  const regraded = useMemo(
    () => (problems.length === 0 ? regradeQuizResult(stored.result, questions) : { result: emptyQuizResult(), changed: false }),
    [stored.result, questions, problems],
  );
  useEffect(() => {
    // Keep the re-graded outcomes, so the course home counts them too; only over the text they came from.
    if (stored.state === 'current' && regraded.changed) updateQuizResult(browserQuizStorage(), lesson, stored.raw, regraded.result);
  }, [stored, regraded, lesson]);
  const answers = useMemo(() => mergeQuizResults(regraded.result, { version: 1, answers: checked }).answers, [regraded, checked]);
  const summary = summarizeQuiz(
    { version: 1, answers },
    questions.length,
    questions.map((q) => q.id),
  );
  const titleId = `${uid}-title`;
  const noticeId = `${uid}-notice`;

  if (problems.length > 0) {
    return (
      <section className="quiz" aria-labelledby={titleId} data-testid="quiz">
        <p className="quiz-title" id={titleId}>
          Check your understanding
        </p>
        <div className="error-message" role="alert">
          <p>This quiz cannot be shown:</p>
          <ul>
            {problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
      </section>
    );
  }

  const edit = (id: string, response: QuizResponse) => {
    setDrafts((d) => ({ ...d, [id]: response }));
    setInvalid((v) => without(v, id));
  };

  const record = (question: QuizQuestion, answer: StoredAnswer) => {
    // A foreign record is not written over: the answer stays on the page until the learner replaces it.
    if (!foreign) storeAnswer(browserQuizStorage(), lesson, question.id, answer);
    setChecked((c) => ({ ...c, [question.id]: answer }));
  };

  const previousAnswer = (question: QuizQuestion) => (Object.hasOwn(answers, question.id) ? answers[question.id] : undefined);

  const check = (question: QuizQuestion, response: QuizResponse | undefined) => {
    const grade = gradeQuestion(question, response ?? null);
    if (grade.status === 'invalid' || response === undefined) {
      setInvalid((v) => ({ ...v, [question.id]: true }));
      return;
    }
    record(question, recordCheck(previousAnswer(question), response, grade.status === 'correct'));
    setDrafts((d) => without(d, question.id));
  };

  const reveal = (question: QuizQuestion) => {
    const previous = previousAnswer(question);
    if (previous) record(question, recordReveal(previous));
  };

  const replaceForeign = () => {
    const status = writeQuizResult(browserQuizStorage(), lesson, { version: 1, answers: checked }, { replaceForeign: true });
    flushSync(() => setReplaced(status === 'written' ? 'written' : 'failed'));
    // The button is gone: keep the keyboard on the message that replaced the notice.
    document.getElementById(noticeId)?.focus();
  };

  const reset = () => {
    // Leaves a foreign record as it is (lib/quiz/storage clearQuiz).
    clearQuiz(browserQuizStorage(), lesson);
    setChecked({});
    setDrafts({});
    setInvalid({});
  };

  return (
    <section className="quiz" aria-labelledby={titleId} data-testid="quiz">
      <p className="quiz-title" id={titleId}>
        Check your understanding
      </p>
      {foreign ? (
        <div className="quiz-notice" id={noticeId} tabIndex={-1} data-testid="quiz-foreign-notice">
          <p>{foreignRecordNotice(stored)}</p>
          {replaced === 'failed' ? (
            <p className="error-message" role="alert">
              The browser did not let this page save; the saved answers are unchanged.
            </p>
          ) : null}
          <button type="button" onClick={replaceForeign} data-testid="quiz-replace-foreign">
            Replace saved answers
          </button>
        </div>
      ) : replaced === 'written' ? (
        <p className="quiz-notice" id={noticeId} tabIndex={-1} role="status" data-testid="quiz-foreign-replaced">
          Saved answers replaced: answers you check here are saved.
        </p>
      ) : null}
      {questions.map((question, index) => {
        const base = `${uid}-q${index}`;
        const answer: StoredAnswer | undefined = Object.hasOwn(answers, question.id) ? answers[question.id] : undefined;
        const draft: QuizResponse | undefined = Object.hasOwn(drafts, question.id) ? drafts[question.id] : undefined;
        const current = draft ?? answer?.response;
        // The verdict belongs to the checked response; editing it hides the verdict until checked again.
        const verdict = answer && (draft === undefined || draft === answer.response) ? answer : undefined;
        const isInvalid = invalid[question.id] === true;
        const state = isInvalid ? 'invalid' : verdict ? (verdict.correct ? 'correct' : 'incorrect') : 'none';
        const outcome = answerOutcome(answer);
        const revealed = answer?.revealed === true;
        // The expected answer shows once asked for, unless the learner has since answered right.
        const showSolution = revealed && !verdict?.correct;
        const feedbackId = `${base}-feedback`;
        const onSubmit = (event: FormEvent<HTMLFormElement>) => {
          event.preventDefault();
          check(question, current);
        };
        const onReveal = () => {
          flushSync(() => reveal(question));
          // The button is gone: keep the keyboard where the answer appeared.
          document.getElementById(feedbackId)?.focus();
        };
        const matched = verdict?.correct && question.kind === 'numeric' ? gradeQuestion(question, verdict.response).accepted : undefined;
        const alternative = question.kind === 'numeric' && matched !== undefined && matched > 0 ? question.alsoAccept?.[matched - 1] : undefined;

        return (
          <form key={question.id} className="quiz-question" onSubmit={onSubmit} noValidate>
            <fieldset data-testid={`quiz-question-${question.id}`} data-state={state} data-outcome={outcome}>
              <legend>
                <span className="quiz-number">{index + 1}.</span> {question.prompt}
              </legend>

              {question.kind === 'choice' ? (
                <div className="quiz-options">
                  {question.options.map((option, i) => {
                    const mark =
                      i === question.answer && (showSolution || verdict?.correct)
                        ? 'answer'
                        : verdict && !verdict.correct && verdict.response === i
                          ? 'wrong'
                          : undefined;
                    return (
                      <label key={i} className="quiz-option" htmlFor={`${base}-o${i}`} data-mark={mark}>
                        <input
                          type="radio"
                          id={`${base}-o${i}`}
                          name={`${base}-choice`}
                          value={i}
                          checked={current === i}
                          onChange={() => edit(question.id, i)}
                          aria-describedby={feedbackId}
                        />
                        <span>{option}</span>
                        {mark ? (
                          <span className="quiz-option-mark" aria-label={mark === 'answer' ? 'the answer' : 'your answer, not right'}>
                            {mark === 'answer' ? '✓' : '✗'}
                          </span>
                        ) : null}
                      </label>
                    );
                  })}
                </div>
              ) : (
                <div className="quiz-numeric">
                  <label htmlFor={`${base}-input`}>Your answer</label>{' '}
                  <span className="quiz-input">
                    <input
                      type="text"
                      id={`${base}-input`}
                      inputMode="decimal"
                      autoComplete="off"
                      spellCheck={false}
                      value={typeof current === 'string' ? current : ''}
                      maxLength={INPUT_LIMITS.answer}
                      onChange={(event) => edit(question.id, event.target.value)}
                      aria-invalid={isInvalid || undefined}
                      aria-describedby={`${question.unit ? `${base}-unit ` : ''}${base}-hint ${feedbackId}`}
                    />
                    {question.unit ? (
                      <span className="quiz-unit" id={`${base}-unit`}>
                        {question.unit}
                      </span>
                    ) : null}
                  </span>
                  <p className="quiz-hint" id={`${base}-hint`}>
                    {toleranceHint(question.tolerance, question.unit)}
                  </p>
                </div>
              )}

              <div className="quiz-actions">
                <button type="submit">Check</button>
                {verdict && !verdict.correct && !revealed ? (
                  <button type="button" className="quiz-reveal" onClick={onReveal} data-testid={`quiz-reveal-${question.id}`}>
                    Show answer
                  </button>
                ) : null}
              </div>

              <div
                className="quiz-feedback"
                id={feedbackId}
                role="status"
                tabIndex={-1}
                data-testid={`quiz-feedback-${question.id}`}
                data-state={state}
              >
                {isInvalid ? (
                  <p className="quiz-verdict">
                    {question.kind === 'numeric' ? invalidNumberMessage(question.unit) : INVALID_CHOICE_MESSAGE}
                  </p>
                ) : verdict ? (
                  <p className="quiz-verdict">
                    <span className="quiz-mark" aria-hidden="true">
                      {verdict.correct ? '✓' : '✗'}
                    </span>{' '}
                    {verdict.correct
                      ? outcome === 'retry'
                        ? 'Correct on retry'
                        : 'Correct'
                      : 'Not quite'}
                    {verdict.correct && outcome === 'wrong' ? (
                      <span className="quiz-verdict-note"> — the score keeps your first answer</span>
                    ) : null}
                    {!verdict.correct && !revealed ? (
                      <span className="quiz-verdict-note"> — try again, or show the answer.</span>
                    ) : null}
                  </p>
                ) : null}
                {verdict?.regraded ? (
                  <p className="quiz-regraded" data-testid={`quiz-regraded-${question.id}`}>
                    This question changed since you answered; your answer was re-checked.
                  </p>
                ) : null}
                {alternative && question.kind === 'numeric' ? (
                  <p>
                    Your answer matches {alternative.note ?? 'another accepted convention'}; the lesson’s answer is{' '}
                    <strong>{formatAnswer(question.answer, question.tolerance, question.unit)}</strong>.
                  </p>
                ) : null}
                {showSolution ? (
                  <div className="quiz-solution" data-testid={`quiz-solution-${question.id}`}>
                    {question.kind === 'numeric' ? (
                      <p>
                        The answer is <strong>{formatAnswer(question.answer, question.tolerance, question.unit)}</strong>
                        {question.alsoAccept && question.alsoAccept.length > 0 ? (
                          <>
                            {' '}
                            (also accepted:{' '}
                            {question.alsoAccept.map((alt, j) => (
                              <span key={j}>
                                {j > 0 ? '; ' : null}
                                <strong>{formatAnswer(alt.answer, alt.tolerance ?? question.tolerance, question.unit)}</strong>
                                {alt.note ? `, ${alt.note}` : null}
                              </span>
                            ))}
                            )
                          </>
                        ) : null}
                        .
                      </p>
                    ) : (
                      <p>
                        The answer is <strong>{question.options[question.answer]}</strong>.
                      </p>
                    )}
                  </div>
                ) : null}
                {(showSolution || verdict?.correct) && question.explanation ? (
                  <p className="quiz-explanation">{question.explanation}</p>
                ) : null}
              </div>
            </fieldset>
          </form>
        );
      })}

      <div className="quiz-summary">
        <p className="quiz-score" data-testid="quiz-score" aria-live="polite">
          {describeScore(summary)}
        </p>
        <button type="button" onClick={reset}>
          Reset quiz
        </button>
      </div>
    </section>
  );
}

export default Quiz;
