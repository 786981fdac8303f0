'use client';

import { useCallback, useMemo, useSyncExternalStore } from 'react';
import {
  describeProgress,
  parseQuizResult,
  readQuizRaw,
  resolveStorage,
  storageEventAffects,
  subscribeQuiz,
  summarizeQuiz,
  type QuizResult,
  type QuizStorage,
} from '@/lib/quiz/storage';

/** window.localStorage, or null on the server and where storage is blocked. */
export function browserQuizStorage(): QuizStorage | null {
  if (typeof window === 'undefined') return null;
  return resolveStorage(() => window.localStorage);
}

function getServerSnapshot(): string | null {
  return null;
}

/**
 * A lesson's stored quiz result, kept current: re-read when this page saves or clears an
 * answer (subscribeQuiz) and when another tab does (the window's `storage` event). The server
 * render and hydration see an empty result; the stored one fills in right after.
 */
export function useStoredQuiz(slug: string): QuizResult {
  const subscribe = useCallback(
    (onChange: () => void) => {
      const unsubscribe = subscribeQuiz((changed) => {
        if (changed === slug) onChange();
      });
      const onStorage = (event: StorageEvent) => {
        if (storageEventAffects(event.key, slug)) onChange();
      };
      window.addEventListener('storage', onStorage);
      return () => {
        unsubscribe();
        window.removeEventListener('storage', onStorage);
      };
    },
    [slug],
  );
  // The raw string is the snapshot: it compares by value, so unchanged storage never re-renders.
  const raw = useSyncExternalStore(subscribe, () => readQuizRaw(browserQuizStorage(), slug), getServerSnapshot);
  return useMemo(() => parseQuizResult(raw), [raw]);
}

/** `slug` names the lesson; `total` is how many questions its quiz has. */
export interface QuizProgressProps {
  slug: string;
  total: number;
}

/** A lesson's quiz progress on the course home: "Quiz: 2 of 3 correct" or "Quiz not taken yet". */
export function QuizProgress({ slug, total }: QuizProgressProps) {
  const result = useStoredQuiz(slug);
  const summary = summarizeQuiz(result, total);
  const taken = summary.answered > 0 && summary.total > 0;
  return (
    <span
      className="quiz-progress"
      data-testid={`quiz-progress-${slug}`}
      data-state={!taken ? 'none' : summary.correct === summary.total ? 'complete' : 'partial'}
    >
      {describeProgress(summary)}
    </span>
  );
}

export default QuizProgress;
