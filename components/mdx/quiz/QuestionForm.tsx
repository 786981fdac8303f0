import type { FormEvent, ReactNode } from 'react';
import { flushSync } from 'react-dom';
import type { ChoiceQuestion, NumericQuestion, QuizQuestion, QuizResponse } from '@/lib/quiz/grade';
import { toleranceHint } from '@/lib/quiz/grade';
import { optionMark, type QuestionView } from '@/lib/quiz/view';
import { questionAnchor } from '@/lib/search/anchor';
import { INPUT_LIMITS } from '@/lib/text/input';
import { QuestionFeedback } from './QuestionFeedback';

interface InputProps<Q> {
  question: Q;
  idPrefix: string;
  view: QuestionView;
  feedbackId: string;
  onEdit: (response: QuizResponse) => void;
}

/**
 * One question of the quiz: its prompt, its options or number input, Check and "Show answer",
 * and the feedback. `view` (lib/quiz/view questionView) says what it shows; `idPrefix` makes its
 * element ids unique on the page. In class mode (`mode="class"`, lib/quiz/class-mode) the one
 * button reveals or hides the answer (`onCheck`), and nothing is graded. The form's id,
 * `quiz-<question id>`, is the search's link to it.
 */
export function QuestionForm({ question, index, idPrefix, view, onEdit, onCheck, onReveal, mode = 'learn' }: {
  question: QuizQuestion<ReactNode>;
  index: number;
  idPrefix: string;
  view: QuestionView;
  onEdit: (response: QuizResponse) => void;
  onCheck: () => void;
  onReveal: () => void;
  mode?: 'learn' | 'class';
}) {
  const feedbackId = `${idPrefix}-feedback`;
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onCheck();
  };
  const reveal = () => {
    flushSync(onReveal);
    // The button is gone: keep the keyboard where the answer appeared.
    document.getElementById(feedbackId)?.focus();
  };
  const input = { idPrefix, view, feedbackId, onEdit };

  return (
    <form className="quiz-question" id={questionAnchor(question.id)} onSubmit={onSubmit} noValidate>
      <fieldset
        data-testid={`quiz-question-${question.id}`}
        data-state={view.state}
        data-outcome={view.outcome}
        data-mode={mode === 'class' ? 'class' : undefined}
      >
        <legend>
          <span className="quiz-number">{index + 1}.</span> {question.prompt}
        </legend>

        {question.kind === 'choice' ? <ChoiceOptions question={question} {...input} /> : <NumericInput question={question} {...input} />}

        <div className="quiz-actions">
          {mode === 'class' ? (
            <button type="submit" data-testid={`quiz-class-reveal-${question.id}`} aria-expanded={view.revealed}>
              {view.revealed ? 'Hide answer' : 'Reveal answer'}
            </button>
          ) : (
            <button type="submit">Check</button>
          )}
          {mode === 'learn' && view.offerReveal ? (
            <button type="button" className="quiz-reveal" onClick={reveal} data-testid={`quiz-reveal-${question.id}`}>
              Show answer
            </button>
          ) : null}
        </div>

        <QuestionFeedback question={question} view={view} id={feedbackId} />
      </fieldset>
    </form>
  );
}

/** The options of a choice question as radio buttons, the right one and a wrong choice marked once known. */
function ChoiceOptions({ question, idPrefix, view, feedbackId, onEdit }: InputProps<ChoiceQuestion<ReactNode>>) {
  return (
    <div className="quiz-options">
      {question.options.map((option, i) => {
        const mark = optionMark(i, question.answer, view);
        return (
          <label key={i} className="quiz-option" htmlFor={`${idPrefix}-o${i}`} data-mark={mark}>
            <input
              type="radio"
              id={`${idPrefix}-o${i}`}
              name={`${idPrefix}-choice`}
              value={i}
              checked={view.current === i}
              onChange={() => onEdit(i)}
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
  );
}

/** The text input of a numeric question, with its unit and the tolerance it is graded with. */
function NumericInput({ question, idPrefix, view, feedbackId, onEdit }: InputProps<NumericQuestion<ReactNode>>) {
  return (
    <div className="quiz-numeric">
      <label htmlFor={`${idPrefix}-input`}>Your answer</label>{' '}
      <span className="quiz-input">
        <input
          type="text"
          id={`${idPrefix}-input`}
          inputMode="decimal"
          autoComplete="off"
          spellCheck={false}
          value={typeof view.current === 'string' ? view.current : ''}
          maxLength={INPUT_LIMITS.answer}
          onChange={(event) => onEdit(event.target.value)}
          aria-invalid={view.state === 'invalid' || undefined}
          aria-describedby={`${question.unit ? `${idPrefix}-unit ` : ''}${idPrefix}-hint ${feedbackId}`}
        />
        {question.unit ? (
          <span className="quiz-unit" id={`${idPrefix}-unit`}>
            {question.unit}
          </span>
        ) : null}
      </span>
      <p className="quiz-hint" id={`${idPrefix}-hint`}>
        {toleranceHint(question.tolerance, question.unit)}
      </p>
    </div>
  );
}
