import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { NotebookKernel, DEFAULT_LIMITS } from './kernel';
import type { CellOutput } from './outputs';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function kernel(limits = DEFAULT_LIMITS) {
  const out: { cellId: string; o: CellOutput }[] = [];
  const k = new NotebookKernel(tf, { answer: 42 }, (cellId, o) => out.push({ cellId, o }), limits);
  const labels = { a: 'cell 1', b: 'cell 2', c: 'cell 3' };
  const run = (cellId: string, source: string) => k.run({ cellId, source, labels });
  const texts = (id?: string) => out.filter((x) => !id || x.cellId === id).map((x) => (x.o.kind === 'text' || x.o.kind === 'value' ? x.o.text : x.o.kind === 'error' ? `ERR ${x.o.message} @${x.o.line}:${x.o.column}` : x.o.kind === 'notice' ? `NOTICE ${x.o.text}` : x.o.kind));
  return { k, out, run, texts };
}

describe('NotebookKernel', () => {
  it('shares top-level names with later cells and reports reads', async () => {
    const { run, texts } = kernel();
    expect(await run('a', 'const x: number = answer + 1;')).toMatchObject({ ok: true, defines: ['x'], reads: ['answer'] });
    expect(await run('b', 'const y = x * 2;\nprint("y is", y)')).toMatchObject({ ok: true, defines: ['y'], reads: ['print', 'x'] });
    expect(texts('b')).toEqual(['y is 86\n']);
    expect(await run('c', 'x + y')).toMatchObject({ ok: true, defines: [], reads: ['x', 'y'] });
    expect(texts('c')).toEqual(['86'.replace('86', '129')]);
  });
  it('refuses a name declared in two cells, naming both, and assignments to another cell’s name', async () => {
    const { run, texts } = kernel();
    await run('a', 'const w = 1;');
    expect((await run('b', 'let w = 2;')).ok).toBe(false);
    expect(texts('b')[0]).toMatch(/“w” is already declared in cell 1; cell 2 declares it again/);
    expect((await run('c', 'w = 5')).ok).toBe(false);
    expect(texts('c')[0]).toMatch(/“w” belongs to cell 1.*@1:1/);
    // Running the owning cell again is fine and replaces the value.
    expect((await run('a', 'const w = 3;')).ok).toBe(true);
    expect((await run('a', 'const tf = 1;')).ok).toBe(false);
  });
  it('keeps tensors a cell declares, disposes the rest, and stays flat over repeated runs', async () => {
    const { run } = kernel();
    const before = tf.memory().numTensors;
    await run('a', 'const t = tf.ones([4, 4]);\nconst tmp = tf.add(t, t);\nconst s = tf.sum(tmp).dataSync()[0];');
    // t and tmp are kept (declared); intermediate results are gone.
    expect(tf.memory().numTensors).toBe(before + 2);
    for (let i = 0; i < 5; i++) await run('a', 'const t = tf.ones([4, 4]);\nconst tmp = tf.add(t, t);\nconst s = tf.sum(tmp).dataSync()[0];');
    expect(tf.memory().numTensors).toBe(before + 2);
    await run('b', 'const u = tf.mul(t, 3);\nconst nested = { list: [tf.zeros([2])] };');
    expect(tf.memory().numTensors).toBe(before + 4);
    for (let i = 0; i < 3; i++) await run('b', 'const u = tf.mul(t, 3);\nconst nested = { list: [tf.zeros([2])] };');
    expect(tf.memory().numTensors).toBe(before + 4);
    await run('b', 'print(1)');
    expect(tf.memory().numTensors).toBe(before + 2);
    // A failing cell leaves nothing behind.
    await run('c', 'const big = tf.ones([8]);\nthrow new Error("no")');
    expect(tf.memory().numTensors).toBe(before + 2);
  });
  it('shows a bare last expression: a tensor as a summary card, other values as text', async () => {
    const { run, out } = kernel();
    const before = tf.memory().numTensors;
    await run('a', 'tf.tensor1d([1, 2, NaN, Infinity, 4])');
    const card = out.find((x) => x.o.kind === 'tensor');
    expect(card?.o).toMatchObject({ kind: 'tensor', summary: { shape: [5], dtype: 'float32', min: 1, max: 4, nanCount: 1, infCount: 1 } });
    expect(tf.memory().numTensors).toBe(before);
  });
  it('maps runtime errors to the cell line and reports syntax errors at their place', async () => {
    const { run, texts } = kernel();
    await run('a', 'const ok = 1;\nconst bad: any = undefined;\nbad.go();');
    expect(texts('a')[0]).toMatch(/^ERR TypeError: Cannot read properties of undefined .*@3:5$/);
    await run('b', 'const x = 1;\nconst = 2;');
    expect(texts('b')[0]).toMatch(/^ERR SyntaxError: .*@2:/);
  });
  it('enforces the tensor, output and text limits with messages', async () => {
    const { run, texts } = kernel({ ...DEFAULT_LIMITS, maxTensorElements: 100, maxOutputs: 3, maxTextChars: 20 });
    await run('a', 'const t = tf.zeros([20, 20]);');
    expect(texts('a')[0]).toMatch(/asked for a tensor of 400 elements; the notebook's limit is 100/);
    await run('b', 'const a = tf.ones([11, 1]);\nconst m = tf.matMul(a, a, false, true);');
    expect(texts('b')[0]).toMatch(/tf\.matMul made a tensor of 121 elements \(shape \[11, 11\]\)/);
    await run('c', 'for (let i = 0; i < 10; i++) print(i)');
    expect(texts('c')).toEqual(['0\n', '1\n', '2\n', 'NOTICE This cell has shown 3 outputs, the notebook\'s limit; later ones are left out.']);
  });
  it('stops a loop that yields with await tick()', async () => {
    const { k, run, texts } = kernel();
    const p = run('a', 'let n = 0;\nwhile (true) { n++; await tick(); }');
    await new Promise((r) => setTimeout(r, 20));
    k.interrupt();
    expect((await p).ok).toBe(false);
    expect(texts('a')).toEqual(['NOTICE Stopped.']);
  });
});
