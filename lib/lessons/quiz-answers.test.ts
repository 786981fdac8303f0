import { describe, expect, it } from 'vitest';
import { lessonQuizIds } from '@/components/lesson/source';
import { LESSONS } from '@/content/lessons';
import { QUIZ_ANSWERS } from './quiz-answers';

describe('the computed quiz answers', () => {
  it('belong to lessons of the course and to questions their quizzes have', () => {
    const slugs = LESSONS.map((l) => l.slug);
    for (const [lesson, answers] of Object.entries(QUIZ_ANSWERS)) {
      expect(slugs).toContain(lesson);
      const ids = lessonQuizIds(lesson);
      for (const id of Object.keys(answers)) expect(ids, `${lesson}/${id}`).toContain(id);
    }
  });

  it('are the values the questions’ explanations derive (docs/numerics.md check values)', () => {
    const a = (lesson: string, id: string) => QUIZ_ANSWERS[lesson][id];
    // 7 × 10⁹ × 16 bits ÷ 8 = 14 GB.
    expect(a('why-quantize', 'seven-b-fp16').answer).toBe(14);
    expect(a('number-formats', 'e4m3-max').answer).toBe(448);
    // s = 2/15, z = −round(−3.75) = 4; 255/15 = 17.
    expect(a('scale-and-zero-point', 'predict-scale').answer).toBeCloseTo(2 / 15, 6);
    expect(a('scale-and-zero-point', 'predict-zero-point').answer).toBe(4);
    expect(a('scale-and-zero-point', 'bits-step').answer).toBeCloseTo(17, 4);
    expect(a('clipping-and-calibration', 'outlier-scale').answer).toBeCloseTo(4 / 127.5, 6);
    // 0.12 / 7.5 = 0.016, with absmax / 7 and absmax / 8 also accepted.
    expect(a('granularity', 'group-scale').answer).toBeCloseTo(0.016, 6);
    expect(a('granularity', 'group-scale').alsoAccept).toEqual([0.12 / 7, 0.12 / 8]);
    expect(a('granularity', 'bpw-g128-asym').answer).toBe(4 + (32 + 4) / 128);
    // Codes 12 and 5 packed high nibble first: 0xC5.
    expect(a('four-bit', 'packed-byte').answer).toBe(12 * 16 + 5);
    expect(a('four-bit', 'nf4-dq-bits').answer).toBe(4 + 8 / 64 + 32 / (64 * 256));
    expect(a('qlora', 'base-bits').answer).toBe(4 + 8 / 64 + 32 / (64 * 256));
    expect(a('quantized-inference', 'ppl').answer).toBeCloseTo(Math.E, 12);
    expect(a('quantized-inference', 'bytes-per-token').answer).toBeCloseTo((7 * (4 + 8 / 64 + 32 / (64 * 256))) / 8, 9);
    // 32 layers × 2 matrices × 8 · (4096 + 4096).
    expect(a('lora', 'qv-r8').answer).toBe(4_194_304);
    expect(a('lora', 'alpha-over-r').answer).toBe(0.25);
    expect(a('lora', 'qlora-65b').answer).toBeCloseTo((65 * (4 + 8 / 64 + 32 / (64 * 256))) / 8, 9);
  });
});
