/**
 * The one way to turn something thrown into a sentence for the page: an Error's message, else the
 * value as a string. Widgets, engines and the notebook all show failures through this.
 */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'string') return e;
  try {
    return String(e);
  } catch {
    return 'an unknown error';
  }
}
