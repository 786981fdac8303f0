import { chromium } from '@playwright/test';
import { readFileSync } from 'node:fs';
const progs = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--enable-unsafe-webgpu'] });
const p = await b.newPage(); p.on('console', (m) => console.log('console:', m.text().slice(0, 400)));
await p.goto('http://localhost:3160/gpu/');
await p.waitForFunction(() => !!window.lowbit, null, { timeout: 60000 });
for (const prog of progs) {
  console.log('--', prog.shaderKey);
  await p.evaluate(async (prog) => {
    const tf = window.lowbit.tf; const be = tf.backend();
    const inputs = prog.variableNames.map(() => tf.tensor1d(new Float32Array(64)));
    const pr = { ...prog, shaderKey: prog.shaderKey + Math.random(), getUserCode: () => prog.code };
    const nU = (prog.uniforms.match(/:/g) || []).length;
    const uniforms = prog.uniforms.split(',').filter((x) => x.trim()).map((x) => ({ type: x.includes('f32') ? 'float32' : 'int32', data: [1] }));
    const t = tf.engine().makeTensorFromTensorInfo(be.runWebGPUProgram(pr, inputs, 'float32', uniforms));
    await t.data();
  }, prog);
  await new Promise((r) => setTimeout(r, 300));
}
await b.close();
