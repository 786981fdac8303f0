import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: ['.next/**', 'out/**', 'node_modules/**', 'next-env.d.ts', 'test-results/**', 'playwright-report/**', 'bench/results/**'],
  },
  {
    rules: {
      // useEngine (components/widget-kit) takes deps like useEffect: check them the same way.
      'react-hooks/exhaustive-deps': ['warn', { additionalHooks: '^useEngine$' }],
      // docs/design.md rule 2: only lib/compute and the model code built on it (lib/model, lib/train) load tfjs;
      // elsewhere type-only imports are allowed.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@tensorflow/*'], allowTypeImports: true, message: 'Only lib/compute, lib/model and lib/train import tfjs (docs/design.md rule 2).' }] },
      ],
    },
  },
  {
    // The notebook kernel's tests run it on tfjs's CPU backend.
    files: ['lib/compute/**', 'lib/model/**', 'lib/train/**', 'lib/notebook/**/*.test.ts', 'lib/notebook/kernel.worker.ts', 'lib/notebook/api.d.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
  {
    // docs/design.md rule 1: lib/ is framework-free.
    files: ['lib/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['react', 'react-dom', 'next', 'next/*', 'd3-selection'], message: 'lib/ never imports React, Next or d3-selection (docs/design.md rule 1).' }] },
      ],
    },
  },
];

export default config;
