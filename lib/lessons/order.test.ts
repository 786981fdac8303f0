import { describe, expect, it } from 'vitest';
import { LESSONS } from '../../content/lessons';
import { assertValidLessonIndex } from './order';

describe('assertValidLessonIndex', () => {
  it('accepts the course’s lesson index', () => {
    expect(() => assertValidLessonIndex(LESSONS)).not.toThrow();
  });
  it('names a slug used twice and one that is not lower-case words and dashes', () => {
    expect(() => assertValidLessonIndex([{ slug: 'lora' }, { slug: 'lora' }])).toThrow(/"lora" is used twice/);
    expect(() => assertValidLessonIndex([{ slug: 'Four_Bit' }])).toThrow(/"Four_Bit" must be lower-case words joined by dashes/);
    expect(() => assertValidLessonIndex([{ slug: 'trailing-' }])).toThrow(/must be lower-case/);
  });
});
