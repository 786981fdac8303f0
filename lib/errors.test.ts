import { describe, expect, it } from 'vitest';
import { errorMessage } from './errors';

describe('errorMessage', () => {
  it("gives an Error's message, a string as is, and anything else as a string", () => {
    expect(errorMessage(new RangeError('too big'))).toBe('too big');
    expect(errorMessage('plain words')).toBe('plain words');
    expect(errorMessage(42)).toBe('42');
    expect(errorMessage(null)).toBe('null');
  });
  it('survives a value that cannot be turned into a string', () => {
    expect(errorMessage(Object.create(null))).toBe('an unknown error');
  });
});
