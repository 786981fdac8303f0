import { describe, expect, it } from 'vitest';
import { inputTooLong, quoteInput, shortenInput, QUOTE_MAX_CHARS } from './input';

describe('quoting the learner’s input in a message', () => {
  it('quotes short text whole', () => {
    expect(quoteInput('0.1x')).toBe('“0.1x”');
  });
  it('cuts long text and says how long it was, so a message never grows with the input', () => {
    const q = quoteInput('9'.repeat(10_000_000));
    expect(q).toBe(`“${'9'.repeat(QUOTE_MAX_CHARS)}…” (10,000,000 characters)`);
    expect(shortenInput('{"a":' + ' '.repeat(100) + '}', 5)).toBe('{"a":… (106 characters)');
  });
  it('never cuts a surrogate pair in half, and shows control characters as spaces', () => {
    const q = quoteInput('a'.repeat(QUOTE_MAX_CHARS - 1) + '😀' + 'b', QUOTE_MAX_CHARS);
    expect(q.startsWith(`“${'a'.repeat(QUOTE_MAX_CHARS - 1)}…”`)).toBe(true);
    expect(quoteInput('a\nb\u0000c')).toBe('“a b c”');
  });
  it('names an over-long input with its length and the cap', () => {
    expect(inputTooLong('abc', 3)).toBeNull();
    expect(inputTooLong('abcd', 3, 'a config.json')).toBe('This is 4 characters; a config.json takes at most 3. Nothing was read.');
  });
});
