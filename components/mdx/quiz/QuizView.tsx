'use client';

import { useEffect, useId, useMemo, useState, type ReactNode } from 'react';
import { flushSync } from 'react-dom';
import { gradeQuestion, validateQuestions, type QuizQuestion, type QuizResponse } from '@/lib/quiz/grade';
import { regradeQuizResult } from '@/lib/quiz/regrade';
import {
  clearQuiz,
  describeScore,
  emptyQuizResult,
  mergeQuizResults,
  recordCheck,
  recordReveal,
  storeAnswer,
  summarizeQuiz,
  updateQuizResult,
  writeQuizResult,
  type StoredAnswer,
} from '@/lib/quiz/storage';
import { classQuestionView } from '@/lib/quiz/class-view';
import { ownValue, questionView, withoutKey } from '@/lib/quiz/view';
import { browserQuizStorage, useStoredQuiz } from '@/components/ui/QuizProgress';
import { ForeignRecordNotice } from './ForeignRecordNotice';
import { QuestionForm } from './QuestionForm';
import { QuizModeBar } from './QuizModeBar';
import { useClassMode } from './useClassMode';
import { useHydrated } from '@/components/widget-kit/useHydrated';

type AnswerMap = Record<string, StoredAnswer>;


/**
 * The quiz on the page (components/mdx/Quiz.tsx fills in its computed answers). Each question is
 * checked on its own. A wrong answer is only marked wrong: the learner may try again or choose
 * "Show answer", which shows the expected answer and the explanation; a right answer shows the
 * explanation. The score counts first answers, and right answers after a wrong first one apart
 * ("correct on retry"). Answers are kept in localStorage (lib/quiz/storage) and restored on the
 * next visit, graded again against the current questions (lib/quiz/regrade): a changed outcome is
 * written back and noted beside the verdict; answers to questions the quiz no longer has are
 * neither shown nor counted. A stored record of another version is kept as it is: the quiz says
 * so, grades answers on the page without saving them, and replaces the record only when the
 * learner chooses to. Grading, scoring, storage and what each question shows live in lib/quiz;
 * this component holds only what the learner is typing and what was checked on this visit.
 * In class mode (`?class=1` or the switch, lib/quiz/class-mode) every answer stays hidden until
 * revealed, nothing is graded, and the stored answers are neither shown nor read nor written: the
 * room's picks are drafts on this page only.
 */
export function QuizView({ lesson, questions }: { lesson: string; questions: readonly QuizQuestion<ReactNode>[] }) {
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
  const hydrated = useHydrated();
  const noticeId = `${uid}-notice`;
  const [classMode, setClassMode] = useClassMode();
  // Class mode: the questions whose answer the teacher revealed.
  const [revealed, setRevealed] = useState<Record<string, true>>({});

  if (problems.length > 0) return <QuizProblems titleId={titleId} problems={problems} />;

  const edit = (id: string, response: QuizResponse) => {
    setDrafts((d) => ({ ...d, [id]: response }));
    setInvalid((v) => withoutKey(v, id));
  };

  const record = (question: QuizQuestion<ReactNode>, answer: StoredAnswer) => {
    // A foreign record is not written over: the answer stays on the page until the learner replaces it.
    if (!foreign) storeAnswer(browserQuizStorage(), lesson, question.id, answer);
    setChecked((c) => ({ ...c, [question.id]: answer }));
  };

  const check = (question: QuizQuestion<ReactNode>, response: QuizResponse | undefined) => {
    const grade = gradeQuestion(question, response ?? null);
    if (grade.status === 'invalid' || response === undefined) {
      setInvalid((v) => ({ ...v, [question.id]: true }));
      return;
    }
    record(question, recordCheck(ownValue(answers, question.id), response, grade.status === 'correct'));
    setDrafts((d) => withoutKey(d, question.id));
  };

  const reveal = (question: QuizQuestion<ReactNode>) => {
    const previous = ownValue(answers, question.id);
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

  // Class mode starts and ends with nothing picked or revealed; it never touches storage.
  const switchClassMode = (on: boolean) => {
    setDrafts({});
    setRevealed({});
    setClassMode(on);
  };
  const toggleReveal = (id: string) => setRevealed((r) => (r[id] ? withoutKey(r, id) : { ...r, [id]: true }));

  return (
    <section
      className="quiz"
      id="lesson-quiz"
      aria-labelledby={titleId}
      data-testid="quiz"
      data-hydrated={hydrated ? 'true' : undefined}
      data-mode={classMode ? 'class' : 'learn'}
    >
      <div className="quiz-head">
        <p className="quiz-title" id={titleId}>
          Check your understanding
        </p>
        <QuizModeBar lesson={lesson} classMode={classMode} onClassMode={switchClassMode} />
      </div>
      {classMode ? null : (
        <ForeignRecordNotice id={noticeId} stored={foreign ? stored : null} replaced={replaced} onReplace={replaceForeign} />
      )}
      {questions.map((question, index) => {
        const draft = ownValue(drafts, question.id);
        const view = classMode
          ? classQuestionView(draft, revealed[question.id] === true)
          : questionView(ownValue(answers, question.id), draft, invalid[question.id] === true);
        return (
          <QuestionForm
            key={question.id}
            mode={classMode ? 'class' : 'learn'}
            question={question}
            index={index}
            idPrefix={`${uid}-q${index}`}
            view={view}
            onEdit={(response) => edit(question.id, response)}
            onCheck={() => (classMode ? toggleReveal(question.id) : check(question, view.current))}
            onReveal={() => reveal(question)}
          />
        );
      })}

      <div className="quiz-summary">
        {classMode ? (
          <p className="quiz-score" data-testid="quiz-class-status">
            Class mode: {Object.keys(revealed).length} of {questions.length} answers shown; nothing is saved.
          </p>
        ) : (
          <p className="quiz-score" data-testid="quiz-score" aria-live="polite">
            {describeScore(summary)}
          </p>
        )}
        <button type="button" onClick={classMode ? () => switchClassMode(true) : reset}>
          {classMode ? 'Clear' : 'Reset quiz'}
        </button>
      </div>
    </section>
  );
}

/** What shows instead of a quiz written wrongly: the problems lib/quiz/grade validateQuestions found. */
function QuizProblems({ titleId, problems }: { titleId: string; problems: readonly string[] }) {
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
