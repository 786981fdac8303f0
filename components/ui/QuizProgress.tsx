'use client';

import { useCallback, useMemo, useSyncExternalStore } from 'react';
import {
  describeProgress,
  FOREIGN_PROGRESS,
  readQuizRaw,
  readQuizRecord,
  resolveStorage,
  storageEventAffects,
  subscribeQuiz,
  summarizeQuiz,
  type QuizStorage,
  type StoredQuiz,
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
 * A lesson's stored quiz record (lib/quiz/storage readQuizRecord: its state — none, current or
 * foreign — its result and raw text), kept current: re-read when this page saves or clears an
 * answer (subscribeQuiz) and when another tab does (the window's `storage` event). The server
 * render and hydration see no record; the stored one fills in right after.
 */
export function useStoredQuiz(slug: string): StoredQuiz {
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
  return useMemo(() => readQuizRecord(raw), [raw]);
}

/**
 * `slug` names the lesson; `questionIds` are the ids of its quiz's current questions (read from
 * the MDX at build time by lib/lessons/quiz-ids), so answers to removed questions do not count.
 */
export interface QuizProgressProps {
  slug: string;
  questionIds: readonly string[];
}

/**
 * A lesson's quiz progress on the course home: "Quiz: 2 of 3 correct", "Quiz not taken yet", or
 * "Quiz: saved by another version" when the stored record is one this version cannot read.
 */
export function QuizProgress({ slug, questionIds }: QuizProgressProps) {
  const stored = useStoredQuiz(slug);
  const summary = summarizeQuiz(stored.result, questionIds.length, questionIds);
  const taken = summary.answered > 0 && summary.total > 0;
  const foreign = stored.state === 'foreign';
  return (
    <span
      className="quiz-progress"
      data-testid={`quiz-progress-${slug}`}
      data-state={foreign ? 'foreign' : !taken ? 'none' : summary.correct === summary.total ? 'complete' : 'partial'}
    >
      {foreign ? FOREIGN_PROGRESS : describeProgress(summary)}
    </span>
  );
}

export default QuizProgress;
