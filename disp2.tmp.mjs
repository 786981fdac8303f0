import { chromium } from '@playwright/test';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--enable-unsafe-webgpu'] });
const p = await b.newPage();
await p.goto('http://localhost:3160/gpu/');
await p.waitForFunction(() => !!window.lowbit, null, { timeout: 60000 });
const out = await p.evaluate(async () => {
  const tf = window.lowbit.tf; const be = tf.backend(); tf.env().set('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE', 1000);
  const res = {};
  for (const [n, wg] of [[64, 64], [64 * 512, 64]]) {
    const prog = { variableNames: ['x'], outputShape: [n], shaderKey: 'triv' + n, dispatchLayout: { x: [0] }, dispatch: [Math.ceil(n / wg), 1, 1], workgroupSize: [wg, 1, 1], uniforms: 'k : f32,',
      getUserCode: () => `fn main(index : i32) { if (index < uniforms.size) { setOutputAtIndex(index, x[index] + uniforms.k); } }`, size: true };
    let x = tf.zeros([n]);
    const run = () => { const y = tf.engine().makeTensorFromTensorInfo(be.runWebGPUProgram(prog, [x], 'float32', [{ type: 'float32', data: [1] }])); x.dispose(); x = y; };
    run(); await x.data();
    const t0 = performance.now();
    for (let i = 0; i < 100; i++) run();
    const q = performance.now();
    await x.data();
    res[n] = { queue: (q - t0) / 100, total: (performance.now() - t0) / 100 };
    const t1 = performance.now();
    for (let i = 0; i < 20; i++) { run(); await x.data(); }
    res[n].synced = (performance.now() - t1) / 20;
  }
  res.flags = { batch: tf.env().get('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE') };
  return res;
});
console.log(JSON.stringify(out));
await b.close();
