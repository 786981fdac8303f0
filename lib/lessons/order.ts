/**
 * Navigation over an ordered list of lessons: which lesson a slug names and its neighbours.
 * Pure: takes the list, so it is tested without the course's real index.
 */
export interface Slugged {
  slug: string;
}

export interface Neighbours<T extends Slugged> {
  lesson: T;
  index: number;
  previous: T | null;
  next: T | null;
}

/** Finds `slug` in `lessons` with the lessons before and after it; null when it is not there. */
export function lessonNeighbours<T extends Slugged>(lessons: readonly T[], slug: string): Neighbours<T> | null {
  const index = lessons.findIndex((l) => l.slug === slug);
  if (index < 0) return null;
  return {
    lesson: lessons[index],
    index,
    previous: index > 0 ? lessons[index - 1] : null,
    next: index < lessons.length - 1 ? lessons[index + 1] : null,
  };
}

/** Throws when two lessons share a slug or a slug is not URL-safe (lower-case words and dashes). */
export function assertValidLessonIndex(lessons: readonly Slugged[]): void {
  const seen = new Set<string>();
  for (const { slug } of lessons) {
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug)) throw new Error(`Lesson slug "${slug}" must be lower-case words joined by dashes`);
    if (seen.has(slug)) throw new Error(`Lesson slug "${slug}" is used twice`);
    seen.add(slug);
  }
}
