/**
 * The quiz's class-mode switch (lib/quiz/class-mode: answers hidden until revealed, nothing saved)
 * and the link to the lesson's review page, every question with its answer.
 */
export function QuizModeBar({ lesson, classMode, onClassMode }: { lesson: string; classMode: boolean; onClassMode: (on: boolean) => void }) {
  return (
    <div className="quiz-mode-bar">
      <label className="quiz-class-switch">
        <input
          type="checkbox"
          role="switch"
          checked={classMode}
          onChange={(event) => onClassMode(event.target.checked)}
          data-testid="quiz-class-mode"
          aria-describedby="quiz-class-mode-note"
        />{' '}
        Class mode
      </label>
      <span className="quiz-class-note" id="quiz-class-mode-note">
        answers hidden until revealed
      </span>
      <a href={`/lessons/${lesson}/review/`} className="quiz-review-link" data-testid="quiz-review-link">
        All questions and answers
      </a>
    </div>
  );
}
