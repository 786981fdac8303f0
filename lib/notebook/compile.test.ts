import { describe, expect, it } from 'vitest';
import { CellSyntaxError, cellFunctionBody, compileCell, LAST_VALUE, locateRuntimeError } from './compile';

const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<{ defines: Record<string, unknown>; value: unknown }>;

async function run(source: string, id = 'c1', scope: Record<string, unknown> = {}) {
  const cell = compileCell(source);
  const fn = new AsyncFunction(...Object.keys(scope), LAST_VALUE, cellFunctionBody(cell, id));
  return { cell, result: fn(...Object.values(scope), undefined) };
}

describe('compileCell', () => {
  it('removes types line for line and finds top-level defines, including destructuring, functions and classes', () => {
    const c = compileCell(['const a: number = 1;', 'let { b, c: [d, ...e] } = f(a);', 'function g<T>(x: T): T { const inner = x; return inner }', 'class K {}', 'interface I { z: number }', 'var h = 2;'].join('\n'));
    expect(c.js.split('\n')).toHaveLength(6);
    expect(c.js.split('\n')[0]).toBe('const a = 1;');
    expect(c.defines).toEqual(['a', 'b', 'd', 'e', 'g', 'K', 'h']);
    expect(c.reads).toContain('f');
    expect(c.reads).not.toContain('a');

  });
  it('lists reads but not property names, keys or labels', () => {
    const c = compileCell('const r = { w: x.y, [k]: 1, z };\nouter: for (;;) { break outer }\nprint(r.q)');
    expect(c.reads).toEqual(expect.arrayContaining(['x', 'k', 'z', 'print']));
    expect(c.reads).not.toContain('y');
    expect(c.reads).not.toContain('w');
    expect(c.reads).not.toContain('q');
    expect(c.reads).not.toContain('outer');
  });
  it('flags assignments to names the cell does not declare, but not to its own or inner ones', () => {
    const c = compileCell('const mine = 1;\nother = 2;\nfunction f(p) { p = 3; let q; q = 4 }\ncount++');
    expect(c.assigns).toEqual([{ name: 'other', at: { line: 2, column: 1 } }, { name: 'count', at: { line: 4, column: 1 } }]);
  });
  it('gives syntax errors with the cell’s own line and column', () => {
    const e1 = (() => { try { compileCell('const a = 1;\nconst b: number = ;'); } catch (e) { return e; } })();
    expect(e1).toBeInstanceOf(CellSyntaxError);
    expect((e1 as CellSyntaxError).at.line).toBe(2);
    expect(() => compileCell('import x from "y"')).toThrow(/do not use import or export/);
    expect(() => compileCell('return 5')).toThrow(CellSyntaxError);
    expect(() => compileCell('function f() { return 5 }')).not.toThrow();
  });
});

describe('running a compiled cell', () => {
  it('supports top-level await, returns its defines and the value of a last bare expression', async () => {
    const { result } = await run('const a = await Promise.resolve(20);\nlet b: number = a + 1;\nb * 2');
    expect(await result).toEqual({ defines: { a: 20, b: 21 }, value: 42 });
    const { result: r2 } = await run('const x = 1;');
    expect((await r2).value).toBeUndefined();
  });
  it('reads earlier cells’ names as parameters', async () => {
    const { result } = await run('const y = x * 2', 'c2', { x: 21 });
    expect((await result).defines).toEqual({ y: 42 });
  });
  it('maps a runtime error to the cell’s line and column, and trims the stack to cell frames', async () => {
    const src = ['const ok = 1;', '', 'function inner(v: number) {', '  return (null as any).boom + v;', '}', 'inner(ok);'].join('\n');
    const { cell, result } = await run(src, 'abc');
    const err = await result.catch((e: unknown) => e);
    const loc = locateRuntimeError(err, 'abc', cell);
    expect(loc.message).toMatch(/TypeError: Cannot read properties of null/);
    expect(loc.at).toEqual({ line: 4, column: 24 });
    expect(loc.stack[0]).toMatch(/^line 4, column 24 \(in inner\)/);
    expect(loc.stack[1]).toMatch(/^line 6, column 1/);
  });
  it('corrects the column of an error inside the rewritten last expression', async () => {
    const { cell, result } = await run('const o: any = null;\no.f()');
    const loc = locateRuntimeError(await result.catch((e: unknown) => e), 'c1', cell);
    expect(loc.at).toEqual({ line: 2, column: 3 });
  });
  it('says what was thrown when it is not an Error', async () => {
    const { result } = await run('throw "nope"');
    expect(locateRuntimeError(await result.catch((e: unknown) => e), 'c1')).toEqual({ message: 'Thrown: nope', at: null, stack: [] });
  });
});
