'use client';

import { useState, type ReactNode } from 'react';
import type { QuizQuestion, QuizResponse } from '@/lib/quiz/grade';
import { classQuestionView } from '@/lib/quiz/class-view';
import { ownValue, withoutKey } from '@/lib/quiz/view';
import { QuestionForm } from './QuestionForm';

/**
 * The quiz in class mode (lib/quiz/class-mode): each question's answer and explanation stay
 * hidden until "Reveal answer"; picks and typed values are kept on this page only, never stored,
 * so the learner's saved answers are neither shown nor changed.
 */
export function ClassQuiz({ questions, uid }: { questions: readonly QuizQuestion<ReactNode>[]; uid: string }) {
  const [picks, setPicks] = useState<Record<string, QuizResponse>>({});
  const [revealed, setRevealed] = useState<Record<string, true>>({});
  const allShown = questions.every((q) => revealed[q.id] === true);
  return (
    <>
      {questions.map((question, index) => (
        <QuestionForm
          key={question.id}
          mode="class"
          question={question}
          index={index}
          idPrefix={`${uid}-q${index}`}
          view={classQuestionView(ownValue(picks, question.id), revealed[question.id] === true)}
          onEdit={(response) => setPicks((p) => ({ ...p, [question.id]: response }))}
          onCheck={() => setRevealed((r) => (r[question.id] ? withoutKey(r, question.id) : { ...r, [question.id]: true }))}
          onReveal={() => setRevealed((r) => ({ ...r, [question.id]: true }))}
        />
      ))}
      <div className="quiz-summary">
        <p className="quiz-score" data-testid="quiz-class-status">
          Class mode: {Object.keys(revealed).length} of {questions.length} answers shown. Nothing here is saved.
        </p>
        <div className="quiz-class-actions">
          <button type="button" onClick={() => setRevealed(allShown ? {} : Object.fromEntries(questions.map((q) => [q.id, true as const])))}>
            {allShown ? 'Hide all answers' : 'Reveal all answers'}
          </button>
          <button type="button" onClick={() => { setPicks({}); setRevealed({}); }}>
            Clear
          </button>
        </div>
      </div>
    </>
  );
}
