/**
 * Class mode of the quizzes: a teacher shows the quiz to a room, and every answer and its
 * explanation stay hidden until the teacher reveals that question. It is switched by the URL
 * parameter `class=1` (so a prepared link opens in it) or by the switch on the quiz. Nothing in
 * class mode reads or writes the learner's stored answers (./storage): what is picked in the room
 * is kept on the page only. What a question shows in class mode is ./class-view.
 */

/** The URL parameter that turns class mode on: `?class=1`. */
export const CLASS_MODE_PARAM = 'class';

/** Whether a URL query string (`location.search`, with or without "?") asks for class mode: `class=1` or `class=true`. */
export function classModeFromSearch(search: string): boolean {
  const value = new URLSearchParams(search).get(CLASS_MODE_PARAM);
  return value === '1' || value === 'true';
}

/** The query string with class mode set to `on` (`class=1`) or removed, other parameters kept in order; "" or "?…". */
export function searchWithClassMode(search: string, on: boolean): string {
  const params = new URLSearchParams(search);
  if (on) params.set(CLASS_MODE_PARAM, '1');
  else params.delete(CLASS_MODE_PARAM);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}
