import { describe, expect, it } from 'vitest';
import {
  allowedError,
  describeTolerance,
  formatNumber,
  formatQuantity,
  gradeChoice,
  gradeNumeric,
  gradeQuestion,
  parseNumericAnswer,
  toleranceHint,
  validateQuestions,
  type QuizQuestion,
} from './grade';

describe('parseNumericAnswer', () => {
  it.each([
    ['42', 42],
    ['0.0118', 0.0118],
    ['-3', -3],
    ['+2.5', 2.5],
    ['.5', 0.5],
    ['5.', 5],
    ['-.25', -0.25],
    ['0', 0],
    ['1e-3', 0.001],
    ['2.5E9', 2.5e9],
    ['6.02e+23', 6.02e23],
    ['-1E-7', -1e-7],
    ['65,536', 65536],
    ['1,234,567.5', 1234567.5],
    ['-4,096', -4096],
    ['  42  ', 42],
    ['\t7\n', 7],
    ['\u22120.5', -0.5],
  ])('reads %j as %d', (text, expected) => {
    expect(parseNumericAnswer(text)).toBe(expected);
  });

  it('reads simple fractions', () => {
    expect(parseNumericAnswer('3/255')).toBe(3 / 255);
    expect(parseNumericAnswer(' 3 / 255 ')).toBe(3 / 255);
    expect(parseNumericAnswer('-1/8')).toBe(-0.125);
    expect(parseNumericAnswer('1.5/0.5')).toBe(3);
    expect(parseNumericAnswer('65,536/2')).toBe(32768);
  });

  it.each([
    '',
    '   ',
    '14 GB',
    '14GB',
    '0.5 bits',
    'abc',
    '1,5',
    '12,34,567',
    '1,2345',
    ',5',
    '1 000',
    '1..2',
    '--1',
    '+-1',
    '1e',
    'e5',
    '0x10',
    'NaN',
    'Infinity',
    '-Infinity',
    '1e999',
    '3/',
    '/3',
    '1/0',
    '0/0',
    '1/2/3',
    '3/-255',
    '½',
  ])('rejects %j', (text) => {
    expect(parseNumericAnswer(text)).toBeNull();
  });
});

describe('allowedError', () => {
  it('takes the larger of abs and rel·|expected|', () => {
    expect(allowedError(14, { rel: 0.02 })).toBeCloseTo(0.28, 15);
    expect(allowedError(-14, { rel: 0.02 })).toBeCloseTo(0.28, 15);
    expect(allowedError(14, { abs: 0.5, rel: 0.02 })).toBe(0.5);
    expect(allowedError(100, { abs: 0.5, rel: 0.02 })).toBe(2);
  });

  it('is 1e-9 relative when no tolerance is given', () => {
    expect(allowedError(1000)).toBeCloseTo(1e-6, 20);
    expect(allowedError(0)).toBe(0);
  });

  it('rejects negative or non-finite tolerances', () => {
    expect(() => allowedError(1, { abs: -0.1 })).toThrow(RangeError);
    expect(() => allowedError(1, { rel: Number.NaN })).toThrow(RangeError);
    expect(() => allowedError(1, { rel: Infinity })).toThrow(RangeError);
  });
});

describe('gradeNumeric', () => {
  it('accepts answers on the absolute tolerance edge, rejects just beyond it', () => {
    const tol = { abs: 0.0005 };
    expect(gradeNumeric('0.0118', 0.0118, tol)).toEqual({ status: 'correct', value: 0.0118 });
    // 0.0123 - 0.0118 rounds to 0.0005000000000000004 in binary64; the edge still counts.
    expect(gradeNumeric('0.0123', 0.0118, tol).status).toBe('correct');
    expect(gradeNumeric('0.0113', 0.0118, tol).status).toBe('correct');
    expect(gradeNumeric('0.01231', 0.0118, tol)).toEqual({ status: 'incorrect', value: 0.01231 });
    expect(gradeNumeric('0.01129', 0.0118, tol).status).toBe('incorrect');
  });

  it('accepts answers on the relative tolerance edge, rejects just beyond it', () => {
    const tol = { rel: 0.02 };
    expect(gradeNumeric('14.28', 14, tol).status).toBe('correct');
    expect(gradeNumeric('13.72', 14, tol).status).toBe('correct');
    expect(gradeNumeric('14.29', 14, tol).status).toBe('incorrect');
    expect(gradeNumeric('13.71', 14, tol).status).toBe('incorrect');
    // Relative to |expected| for negative expected values too.
    expect(gradeNumeric('-14.28', -14, tol).status).toBe('correct');
    expect(gradeNumeric('-14.29', -14, tol).status).toBe('incorrect');
  });

  it('uses whichever of abs and rel allows more', () => {
    const tol = { abs: 1, rel: 0.01 };
    expect(gradeNumeric('11', 10, tol).status).toBe('correct'); // abs wins: 1 > 0.1
    expect(gradeNumeric('11.1', 10, tol).status).toBe('incorrect');
    expect(gradeNumeric('1010', 1000, tol).status).toBe('correct'); // rel wins: 10 > 1
    expect(gradeNumeric('1011', 1000, tol).status).toBe('incorrect');
  });

  it('requires equality up to rounding when no tolerance is given', () => {
    expect(gradeNumeric('65536', 65536).status).toBe('correct');
    expect(gradeNumeric('65,536', 65536).status).toBe('correct');
    expect(gradeNumeric('65537', 65536).status).toBe('incorrect');
    expect(gradeNumeric('0.3', 0.1 + 0.2).status).toBe('correct');
    expect(gradeNumeric('0.30001', 0.3).status).toBe('incorrect');
    expect(gradeNumeric('-0', 0).status).toBe('correct');
    expect(gradeNumeric('0.000001', 0).status).toBe('incorrect');
  });

  it('an explicit zero tolerance means exact', () => {
    expect(gradeNumeric('2', 2, { abs: 0 }).status).toBe('correct');
    expect(gradeNumeric('2.0001', 2, { abs: 0 }).status).toBe('incorrect');
  });

  it('grades fractions and scientific notation by value', () => {
    expect(gradeNumeric('3/255', 0.0118, { abs: 0.0005 })).toEqual({ status: 'correct', value: 3 / 255 });
    expect(gradeNumeric('1/255', 0.0118, { abs: 0.0005 }).status).toBe('incorrect');
    expect(gradeNumeric('1.18e-2', 0.0118).status).toBe('correct');
    expect(gradeNumeric('2.6e11', 260e9, { rel: 0.01 }).status).toBe('correct');
  });

  it('reports unreadable input as invalid, with no value', () => {
    expect(gradeNumeric('', 14, { rel: 0.02 })).toEqual({ status: 'invalid', value: null });
    expect(gradeNumeric('14 GB', 14, { rel: 0.02 })).toEqual({ status: 'invalid', value: null });
    expect(gradeNumeric('fourteen', 14)).toEqual({ status: 'invalid', value: null });
  });

  it('throws on an authoring error rather than grading wrongly', () => {
    expect(() => gradeNumeric('1', Number.NaN)).toThrow(RangeError);
    expect(() => gradeNumeric('1', 1, { abs: -1 })).toThrow(RangeError);
  });
});

describe('gradeChoice', () => {
  it('grades the selected index', () => {
    expect(gradeChoice(1, 1)).toEqual({ status: 'correct', value: 1 });
    expect(gradeChoice(0, 1)).toEqual({ status: 'incorrect', value: 0 });
    expect(gradeChoice(2, 1)).toEqual({ status: 'incorrect', value: 2 });
  });

  it('treats no selection or a non-index as invalid', () => {
    expect(gradeChoice(null, 0)).toEqual({ status: 'invalid', value: null });
    expect(gradeChoice(-1, 0).status).toBe('invalid');
    expect(gradeChoice(0.5, 0).status).toBe('invalid');
    expect(gradeChoice(Number.NaN, 0).status).toBe('invalid');
  });
});

describe('gradeQuestion', () => {
  const choice: QuizQuestion = { id: 'c', kind: 'choice', prompt: 'Pick', options: ['a', 'b', 'c'], answer: 2 };
  const numeric: QuizQuestion = { id: 'n', kind: 'numeric', prompt: 'GB?', answer: 14, tolerance: { rel: 0.02 }, unit: 'GB' };

  it('dispatches on the question kind', () => {
    expect(gradeQuestion(choice, 2).status).toBe('correct');
    expect(gradeQuestion(choice, 0).status).toBe('incorrect');
    expect(gradeQuestion(numeric, '14.1').status).toBe('correct');
    expect(gradeQuestion(numeric, '15').status).toBe('incorrect');
  });

  it('treats a response of the wrong kind, or none, as invalid', () => {
    expect(gradeQuestion(choice, '2').status).toBe('invalid');
    expect(gradeQuestion(choice, null).status).toBe('invalid');
    expect(gradeQuestion(numeric, 14).status).toBe('invalid');
    expect(gradeQuestion(numeric, null).status).toBe('invalid');
  });
});

describe('describeTolerance and toleranceHint', () => {
  it('states absolute and relative tolerances', () => {
    expect(describeTolerance({ abs: 0.0005 })).toBe('within ±0.0005');
    expect(describeTolerance({ abs: 0.5 }, 'GB')).toBe('within ±0.5 GB');
    expect(describeTolerance({ rel: 0.01 })).toBe('within 1%');
    expect(describeTolerance({ rel: 0.02 }, 'GB')).toBe('within 2%');
    expect(describeTolerance({ rel: 0.07 })).toBe('within 7%'); // not 7.000000000000001%
    expect(describeTolerance({ rel: 0.005 })).toBe('within 0.5%');
    expect(describeTolerance({ abs: 1, rel: 0.01 })).toBe('within ±1 or 1%, whichever is larger');
  });

  it('says "exactly" when nothing is tolerated', () => {
    expect(describeTolerance({})).toBe('exactly');
    expect(describeTolerance()).toBe('exactly');
    expect(describeTolerance({ abs: 0 })).toBe('exactly');
  });

  it('builds the hint sentence', () => {
    expect(toleranceHint({ rel: 0.02 })).toBe('Answers within 2% count.');
    expect(toleranceHint({ abs: 0.5 }, 'GB')).toBe('Answers within ±0.5 GB count.');
    expect(toleranceHint(undefined)).toBe('Give the exact value.');
  });
});

describe('formatNumber', () => {
  it('removes floating-point noise and negative zero', () => {
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(14)).toBe('14');
    expect(formatNumber(65536)).toBe('65536');
    expect(formatNumber(0.0118)).toBe('0.0118');
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(3 / 255)).toBe('0.0117647058824');
    expect(formatQuantity(14, 'GB')).toBe('14 GB');
    expect(formatQuantity(14)).toBe('14');
  });
});

describe('validateQuestions', () => {
  it('accepts a sound quiz', () => {
    expect(
      validateQuestions([
        { id: 'a', kind: 'choice', prompt: 'p', options: ['x', 'y'], answer: 1 },
        { id: 'b', kind: 'numeric', prompt: 'p', answer: 14, tolerance: { abs: 0, rel: 0.02 } },
      ]),
    ).toEqual([]);
  });

  it('lists every authoring problem', () => {
    const problems = validateQuestions([
      { id: 'a', kind: 'choice', prompt: 'p', options: ['x', 'y'], answer: 2 },
      { id: 'a', kind: 'choice', prompt: 'p', options: ['x'], answer: 0 },
      { id: '', kind: 'numeric', prompt: 'p', answer: Number.NaN },
      { id: 'd', kind: 'numeric', prompt: 'p', answer: 1, tolerance: { rel: -0.1 } },
    ]);
    expect(problems).toHaveLength(6);
    expect(problems[0]).toMatch(/Question 1 .*answer 2.*0–1/);
    expect(problems[1]).toMatch(/Question 2 .*reuses an id/);
    expect(problems[2]).toMatch(/Question 2 .*at least two options/);
    expect(problems[3]).toMatch(/Question 3 has no id/);
    expect(problems[4]).toMatch(/Question 3 has a non-finite answer/);
    expect(problems[5]).toMatch(/Question 4 .*tolerance rel = -0.1/);
  });
});
