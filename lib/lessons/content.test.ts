import { describe, expect, it } from 'vitest';
import { lessonSource } from '@/components/lesson/source';
import { LESSONS } from '@/content/lessons';

/** docs/design.md rule 7: a lesson's MDX places components with literal props and computes nothing. */
describe('the lessons hold no logic', () => {
  for (const { slug } of LESSONS) {
    it(`${slug}: imports components only, and calls no function in its JSX`, () => {
      const source = lessonSource(slug);
      const imports = [...source.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
      expect(imports.length).toBeGreaterThan(0);
      for (const from of imports) expect(from, from).toMatch(/^@\/components\//);
      expect(source).not.toMatch(/\$\{|Math\.|\.toFixed\(|\.toLocaleString\(|Float32Array|=>/);
    });
  }
});
