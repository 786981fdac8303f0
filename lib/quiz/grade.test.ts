import { describe, expect, it } from 'vitest';
import {
  allowedError,
  describeTolerance,
  formatAnswer,
  formatNumber,
  formatQuantity,
  gradeChoice,
  gradeNumeric,
  gradeQuestion,
  numericReadings,
  parseNumericAnswer,
  invalidNumberMessage,
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
    ['0,5', 0.5],
    ['1,25', 1.25],
    [',5', 0.5],
    ['-0,125', -0.125],
    ['1,2345', 1.2345],
    ['1,5e-3', 0.0015],
  ])('reads %j as %d', (text, expected) => {
    expect(parseNumericAnswer(text)).toBe(expected);
  });

  it('reads a comma before exactly three digits both ways, thousands first', () => {
    expect(numericReadings('1,234')).toEqual([1234, 1.234]);
    expect(numericReadings('4,281')).toEqual([4281, 4.281]);
    expect(numericReadings('0,125')).toEqual([0.125]);
    expect(numericReadings('65,536')).toEqual([65536, 65.536]);
    expect(numericReadings('1,234,567')).toEqual([1234567]);
    expect(numericReadings('1,234.5')).toEqual([1234.5]);
    expect(parseNumericAnswer('1,234')).toBe(1234);
  });

  it('reads the question’s unit after the number, in any case, singular or plural', () => {
    expect(parseNumericAnswer('14 GB', 'GB')).toBe(14);
    expect(parseNumericAnswer('14GB', 'GB')).toBe(14);
    expect(parseNumericAnswer(' 13,5 gb ', 'GB')).toBe(13.5);
    expect(parseNumericAnswer('4.5 bits', 'bits')).toBe(4.5);
    expect(parseNumericAnswer('4.5 bit', 'bits')).toBe(4.5);
    expect(parseNumericAnswer('9/2 bits', 'bits')).toBe(4.5);
    expect(parseNumericAnswer('14', 'GB')).toBe(14);
    expect(parseNumericAnswer('2 ms', 'ms')).toBe(2);
  });

  it('rejects another unit, a unit alone, or a unit where the question has none', () => {
    expect(parseNumericAnswer('14 MB', 'GB')).toBeNull();
    expect(parseNumericAnswer('GB', 'GB')).toBeNull();
    expect(parseNumericAnswer('14 GB GB', 'GB')).toBeNull();
    expect(parseNumericAnswer('14 GB')).toBeNull();
    expect(parseNumericAnswer('2 m', 'ms')).toBeNull();
  });

  it('reads simple fractions', () => {
    expect(parseNumericAnswer('3/255')).toBe(3 / 255);
    expect(parseNumericAnswer(' 3 / 255 ')).toBe(3 / 255);
    expect(parseNumericAnswer('-1/8')).toBe(-0.125);
    expect(parseNumericAnswer('1.5/0.5')).toBe(3);
    expect(parseNumericAnswer('65,536/2')).toBe(32768);
    expect(parseNumericAnswer('1,5/3')).toBe(0.5);
  });

  it.each([
    '',
    '   ',
    '14 GB',
    '14GB',
    '0.5 bits',
    'abc',
    '12,34,567',
    '1.234,5',
    '5,',
    '1,5,0',
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
    expect(gradeNumeric('0.0118', 0.0118, tol)).toEqual({ status: 'correct', value: 0.0118, accepted: 0 });
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
    expect(gradeNumeric('3/255', 0.0118, { abs: 0.0005 })).toEqual({ status: 'correct', value: 3 / 255, accepted: 0 });
    expect(gradeNumeric('1/255', 0.0118, { abs: 0.0005 }).status).toBe('incorrect');
    expect(gradeNumeric('1.18e-2', 0.0118).status).toBe('correct');
    expect(gradeNumeric('2.6e11', 260e9, { rel: 0.01 }).status).toBe('correct');
  });

  it('reports unreadable input as invalid, with no value', () => {
    expect(gradeNumeric('', 14, { rel: 0.02 })).toEqual({ status: 'invalid', value: null });
    expect(gradeNumeric('14 GB', 14, { rel: 0.02 })).toEqual({ status: 'invalid', value: null });
    expect(gradeNumeric('fourteen', 14)).toEqual({ status: 'invalid', value: null });
  });

  it('accepts the unit and a decimal comma when the unit is given', () => {
    expect(gradeNumeric('14 GB', 14, { rel: 0.02 }, { unit: 'GB' })).toEqual({ status: 'correct', value: 14, accepted: 0 });
    expect(gradeNumeric('13,9 GB', 14, { rel: 0.02 }, { unit: 'GB' }).status).toBe('correct');
    expect(gradeNumeric('0,0118', 0.0118, { abs: 0.0005 }).status).toBe('correct');
    expect(gradeNumeric('20 GB', 14, { rel: 0.02 }, { unit: 'GB' })).toEqual({ status: 'incorrect', value: 20 });
    expect(gradeNumeric('14 MB', 14, { rel: 0.02 }, { unit: 'GB' }).status).toBe('invalid');
  });

  it('counts an ambiguous comma when either reading is right', () => {
    // 4 + 36/128 = 4.28125 bits: "4,281" with a decimal comma.
    expect(gradeNumeric('4,281', 4.28125, { abs: 0.001 })).toEqual({ status: 'correct', value: 4.281, accepted: 0 });
    expect(gradeNumeric('1,024', 1024).status).toBe('correct');
    expect(gradeNumeric('4,381', 4.28125, { abs: 0.001 })).toEqual({ status: 'incorrect', value: 4381 });
  });

  it('accepts the further values of alsoAccept, each under its own tolerance or the question’s', () => {
    // A 4-bit symmetric scale for max|x| = 0.12: absmax/7.5 (PyTorch observers) or absmax/7 (k/7 levels).
    const alsoAccept = [{ answer: 0.12 / 7, note: 'absmax/7' }, { answer: 0.12 / 8, tolerance: { abs: 0 } }];
    const tol = { rel: 0.01 };
    expect(gradeNumeric('0.016', 0.12 / 7.5, tol, { alsoAccept })).toEqual({ status: 'correct', value: 0.016, accepted: 0 });
    expect(gradeNumeric('0.0171', 0.12 / 7.5, tol, { alsoAccept })).toEqual({ status: 'correct', value: 0.0171, accepted: 1 });
    expect(gradeNumeric('0.12/7', 0.12 / 7.5, tol, { alsoAccept }).accepted).toBe(1);
    expect(gradeNumeric('0,015', 0.12 / 7.5, tol, { alsoAccept }).accepted).toBe(2);
    // 0.0151 is within 1% of 0.016? No (5.6%), and alsoAccept[1] is exact: wrong.
    expect(gradeNumeric('0.0151', 0.12 / 7.5, tol, { alsoAccept }).status).toBe('incorrect');
    expect(gradeNumeric('0.0171', 0.12 / 7.5, tol).status).toBe('incorrect');
  });

  it('throws on an authoring error rather than grading wrongly', () => {
    expect(() => gradeNumeric('1', Number.NaN)).toThrow(RangeError);
    expect(() => gradeNumeric('1', 1, { abs: -1 })).toThrow(RangeError);
    expect(() => gradeNumeric('1', 1, {}, { alsoAccept: [{ answer: Infinity }] })).toThrow(RangeError);
    expect(() => gradeNumeric('1', 1, {}, { alsoAccept: [{ answer: 2, tolerance: { rel: -1 } }] })).toThrow(RangeError);
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

  it('passes the unit and alsoAccept of a numeric question on', () => {
    expect(gradeQuestion(numeric, '14 GB').status).toBe('correct');
    expect(gradeQuestion(numeric, '14,1 gb').status).toBe('correct');
    const twoConventions: QuizQuestion = { ...numeric, alsoAccept: [{ answer: 13 }] };
    expect(gradeQuestion(twoConventions, '13 GB')).toEqual({ status: 'correct', value: 13, accepted: 1 });
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

describe('formatAnswer', () => {
  it('shows short values as they are, with the unit', () => {
    expect(formatAnswer(14, { abs: 0.05 }, 'GB')).toBe('14 GB');
    expect(formatAnswer(0.12 / 7.5, { rel: 0.01 })).toBe('0.016');
    expect(formatAnswer(4.28125, { abs: 0.001 }, 'bits')).toBe('4.28125 bits');
  });

  it('rounds long values to what stays within a tenth of the tolerance', () => {
    expect(formatAnswer(0.12 / 7, { rel: 0.01 })).toBe('0.01714');
    expect(formatAnswer(3 / 255, { abs: 0.0005 })).toBe('0.0118');
    expect(formatAnswer(2 / 3, { abs: 0.05 })).toBe('0.67');
  });

  it('keeps (nearly) every digit of an exact answer', () => {
    expect(formatAnswer(3 / 255)).toBe('0.011764705882'); // within 1e-10 relative
    expect(formatAnswer(3 / 255, { abs: 0 })).toBe('0.0117647058824');
  });
});

describe('invalidNumberMessage', () => {
  it('names the unit that may follow the number', () => {
    expect(invalidNumberMessage('GB')).toBe('Type a number, e.g. 0.5, 0,5 or 3/8, optionally followed by GB.');
    expect(invalidNumberMessage()).toBe('Type a number, e.g. 0.5, 0,5 or 3/8.');
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
      { id: 'e', kind: 'numeric', prompt: 'p', answer: 1, alsoAccept: [{ answer: 2 }, { answer: Number.NaN, tolerance: { abs: -1 } }] },
    ]);
    expect(problems).toHaveLength(8);
    expect(problems[0]).toMatch(/Question 1 .*answer 2.*0–1/);
    expect(problems[1]).toMatch(/Question 2 .*reuses an id/);
    expect(problems[2]).toMatch(/Question 2 .*at least two options/);
    expect(problems[3]).toMatch(/Question 3 has no id/);
    expect(problems[4]).toMatch(/Question 3 has a non-finite answer/);
    expect(problems[5]).toMatch(/Question 4 .*tolerance rel = -0.1/);
    expect(problems[6]).toMatch(/Question 5 .*alsoAccept\[1\].* non-finite answer/);
    expect(problems[7]).toMatch(/Question 5 .*alsoAccept\[1\].* tolerance abs = -1/);
  });
});
