import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

const FRAMEWORK = {
  group: ['react', 'react-dom', 'next', 'next/*', 'd3-selection'],
  message: 'lib/ never imports React, Next or d3-selection (docs/design.md rule 1).',
};

/** An import pattern for lib/<folder>, written relatively ('../model/x') or from the root ('@/lib/model/x'). */
function above(folders, from) {
  return {
    group: folders.flatMap((f) => [`**/${f}`, `**/${f}/*`, `@/lib/${f}`, `@/lib/${f}/*`]),
    message: `${from}: a lower layer never imports lib/${folders.join(', lib/')} (docs/design.md rule 9).`,
  };
}

/** docs/design.md rule 9, per folder: the folders each layer must not import. */
const LAYERS = [
  ['lib/{formats,random,tensors,linalg}/**', 'the base folders', ['quant', 'compute', 'model', 'lab', 'train', 'notebook']],
  ['lib/store.ts', 'lib/store.ts', ['quant', 'compute', 'model', 'lab', 'train', 'notebook']],
  ['lib/{quant,compute}/**', 'lib/quant and lib/compute', ['model', 'lab', 'train', 'notebook']],
  ['lib/model/**', 'lib/model', ['lab', 'train', 'notebook']],
  ['lib/{lab,train}/**', 'lib/lab and lib/train', ['notebook']],
];

function libLayerRules() {
  return [
    { files: ['lib/**'], rules: { 'no-restricted-imports': ['error', { patterns: [FRAMEWORK] }] } },
    ...LAYERS.map(([glob, label, folders]) => ({
      files: [glob],
      rules: { 'no-restricted-imports': ['error', { patterns: [FRAMEWORK, above(folders, label)] }] },
    })),
  ];
}

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
        { patterns: [{ group: ['@tensorflow/*'], allowTypeImports: true, message: 'Only lib/compute, lib/model, lib/lab and lib/train import tfjs (docs/design.md rule 2).' }] },
      ],
    },
  },
  {
    // The notebook kernel's tests run it on tfjs's CPU backend.
    files: ['lib/compute/**', 'lib/model/**', 'lib/train/**', 'lib/lab/**', 'lib/notebook/**/*.test.ts', 'lib/notebook/kernel.worker.ts', 'lib/notebook/api.d.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
  // docs/design.md rule 1: lib/ is framework-free. Rule 9: a layer never imports one above it.
  ...libLayerRules(),
];

export default config;
