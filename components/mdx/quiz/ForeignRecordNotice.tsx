import { foreignRecordNotice, type StoredQuiz } from '@/lib/quiz/storage';

/**
 * The notice above a quiz whose stored record another version of the course wrote (`stored`,
 * null when the record is this version's), with the button that replaces it; after a replace,
 * what became of it. Nothing when there is nothing to say. `id` names the element the keyboard
 * is moved to once the button is gone.
 */
export function ForeignRecordNotice({ id, stored, replaced, onReplace }: {
  id: string;
  stored: Pick<StoredQuiz, 'foreignVersion'> | null;
  replaced: 'written' | 'failed' | null;
  onReplace: () => void;
}) {
  if (stored) {
    return (
      <div className="quiz-notice" id={id} tabIndex={-1} data-testid="quiz-foreign-notice">
        <p>{foreignRecordNotice(stored)}</p>
        {replaced === 'failed' ? (
          <p className="error-message" role="alert">
            The browser did not let this page save; the saved answers are unchanged.
          </p>
        ) : null}
        <button type="button" onClick={onReplace} data-testid="quiz-replace-foreign">
          Replace saved answers
        </button>
      </div>
    );
  }
  if (replaced === 'written') {
    return (
      <p className="quiz-notice" id={id} tabIndex={-1} role="status" data-testid="quiz-foreign-replaced">
        Saved answers replaced: answers you check here are saved.
      </p>
    );
  }
  return null;
}
