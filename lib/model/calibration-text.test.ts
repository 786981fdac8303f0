import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dir = 'public/models/kjv-char-4l';
const read = (f: string) => readFileSync(`${dir}/${f}`, 'utf8');

describe('the shipped calibration text', () => {
  const text = read('calibration.txt');
  const config = JSON.parse(read('config.json')) as { tokenizer: { chars: string } };

  it('is the file make_calibration.py writes (its README records the sha256)', () => {
    const sha = createHash('sha256').update(text, 'utf8').digest('hex');
    expect(read('README.md')).toContain(sha);
    expect(text.length).toBe(27_584);
  });

  it('uses only the model’s characters and shares no verse with the held-out text', () => {
    const chars = new Set(config.tokenizer.chars);
    expect([...text].every((c) => chars.has(c))).toBe(true);
    const heldout = new Set(read('heldout.txt').split('\n'));
    const verses = text.split('\n').slice(0, -1);
    expect(verses.length).toBeGreaterThan(200);
    expect(verses.filter((v) => heldout.has(v))).toEqual([]);
  });
});
