import { describe, expect, it } from 'vitest';
import { MIN_PASTE_CHARS, splitPaste } from './datasets';

describe('splitPaste', () => {
  it('holds out the last tenth, at least 300 characters, of the trimmed text', () => {
    const text = 'a'.repeat(2000) + 'b'.repeat(1000);
    const r = splitPaste(`  ${text}\n`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.heldout).toBe('b'.repeat(300));
    expect(r.train + r.heldout).toBe(text);
    const long = splitPaste('x'.repeat(5000));
    expect(long.ok && long.heldout.length).toBe(500);
  });

  it('names what is wrong with an empty or short paste', () => {
    expect(splitPaste('   ')).toEqual({ ok: false, error: 'Paste some text to fine-tune on.' });
    const short = splitPaste('x'.repeat(MIN_PASTE_CHARS - 1));
    expect(short.ok).toBe(false);
    expect(!short.ok && short.error).toContain('Paste at least 1,500 characters (you have 1,499)');
  });
});
