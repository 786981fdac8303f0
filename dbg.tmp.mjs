import { chromium } from '@playwright/test';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--enable-unsafe-webgpu'] });
const p = await b.newPage(); p.on('console', (m) => console.log('console:', m.text().slice(0, 600)));
await p.goto('http://localhost:3160/gpu/');
await p.getByTestId('decode-selftest-run').waitFor();
await p.waitForFunction(() => !!window.lowbit, null, { timeout: 60000 });
const { sampleTokenProgram } = await import('./lib/compute/kernels/decode.ts').catch(() => ({}));
const code = process.argv[2];
const out = await p.evaluate(async (userCode) => {
  const tf = window.lowbit.tf;
  const be = tf.backend();
  const prog = { variableNames: ['logits'], outputShape: [1], shaderKey: 'dbg' + Math.random(), dispatchLayout: { x: [0] }, dispatch: [1, 1, 1], workgroupSize: [1, 1, 1],
    uniforms: 'V : i32, topK : i32, temperature : f32, u : f32,', getUserCode: () => userCode };
  const l = tf.tensor1d([0, 5, 1, 7, 2]);
  const info = be.runWebGPUProgram(prog, [l], 'int32', [{ type: 'int32', data: [5] }, { type: 'int32', data: [0] }, { type: 'float32', data: [0] }, { type: 'float32', data: [0.5] }]);
  const t = tf.engine().makeTensorFromTensorInfo(info);
  return Array.from(await t.data());
}, code);
console.log(out);
await b.close();
