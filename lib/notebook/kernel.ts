/**
 * The notebook kernel: runs cells one at a time against shared names, framework-free, with tfjs
 * and the course library injected (the Web Worker wraps it; unit tests run it on the CPU backend).
 *
 * - Names: a cell's top-level declarations are shared with later cells; a name belongs to the cell
 *   that declares it, and a second cell declaring it, assigning it, or shadowing a library name is
 *   refused before the cell runs, naming both cells.
 * - Tensors: each run is a tfjs scope (engine startScope/endScope): tensors the cell does not keep
 *   in a declared name are disposed when it ends; when a cell runs again, tensors its old values held
 *   that no name holds any more are disposed. So tf.memory().numTensors stays flat over repeated runs.
 * - Limits: outputs per cell, characters of text per cell, elements per tensor (checked on every tf
 *   call a cell makes), each with a message that says which limit and how to stay under it.
 * - Stop: `interrupt()` makes the next `await tick()` (and every output call) throw, for loops that
 *   yield; a loop that never yields is stopped by the page terminating the worker.
 */
import type * as TF from '@tensorflow/tfjs-core';
import type { Tfjs } from '../compute';
import { CellSyntaxError, cellFunctionBody, compileCell, LAST_VALUE, locateRuntimeError, type CompiledCell } from './compile';
import type { CellOutput } from './outputs';
import { createCellHelpers, formatValue, type HelperLimits } from './helpers';
import { collectResources, type NotebookResource } from './resources';


export interface KernelLimits extends HelperLimits {
  /** Largest tensor a cell may make, in elements. */
  maxTensorElements: number;
}

export const DEFAULT_LIMITS: KernelLimits = {
  maxTensorElements: 2 ** 24,
  maxOutputs: 200,
  maxTextChars: 100_000,
  maxTableRows: 500,
};

export interface RunRequest {
  cellId: string;
  source: string;
  /** How the page names each cell ("cell 3", "the first cell of this lesson"), for messages. */
  labels: Readonly<Record<string, string>>;
}

export interface RunResult {
  ok: boolean;
  /** Names the cell declared (on success) — the page marks later readers stale. */
  defines: string[];
  /** Every name the cell reads without declaring it (library names included): the page marks it stale when another cell redefines one. */
  reads: string[];
  ms: number;
}

/** Thrown inside a cell when the learner pressed Stop: the cell ends with a notice, not an error. */
export class CellInterrupted extends Error {
  constructor() {
    super('Stopped.');
    this.name = 'CellInterrupted';
  }
}

/** Thrown inside a cell that breaks a notebook limit. */
export class NotebookLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotebookLimitError';
  }
}

/** Marks objects of the notebook library that hold memory outside tfjs tensors (see resources.ts). */
export const RESOURCE = Symbol.for('lowbit.notebook.resource');

const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<{ defines: Record<string, unknown>; value: unknown }>;

/** Tensors anywhere inside a value (arrays, plain objects, Maps, one level of class instances' fields). */
function tensorsIn(tf: Tfjs, value: unknown, out = new Set<TF.Tensor>(), seen = new Set<unknown>()): Set<TF.Tensor> {
  if (value === null || typeof value !== 'object' || seen.has(value)) return out;
  seen.add(value);
  if (value instanceof tf.Tensor) {
    out.add(value);
    return out;
  }
  if (ArrayBuffer.isView(value)) return out;
  if (value instanceof Map) {
    for (const v of value.values()) tensorsIn(tf, v, out, seen);
    return out;
  }
  const items = Array.isArray(value) ? value : Object.values(value as Record<string, unknown>);
  for (const v of items) tensorsIn(tf, v, out, seen);
  return out;
}

/** The number of elements of a shape-like argument, or null when it is not a shape. */
function shapeElements(arg: unknown): number | null {
  if (!Array.isArray(arg) || arg.length === 0 || arg.length > 8 || !arg.every((d) => typeof d === 'number')) return null;
  return arg.reduce((a: number, b: number) => a * b, 1);
}

/**
 * `tf` as cells see it: every function checks shape arguments and tensor results against the
 * element limit (a result over the limit is disposed before the error), and the interrupt flag.
 */
function guardedTf(tf: Tfjs, limits: KernelLimits, checkInterrupt: () => void): Tfjs {
  const limitText = limits.maxTensorElements.toLocaleString('en-US');
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(tf, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function' || prop === 'Tensor' || prop === 'Variable' || /^[A-Z]/.test(String(prop))) return v;
      if (wrapped.has(prop)) return wrapped.get(prop);
      const fn = (...args: unknown[]) => {
        checkInterrupt();
        for (const a of args) {
          const n = shapeElements(a);
          if (n !== null && n > limits.maxTensorElements) throw new NotebookLimitError(`tf.${String(prop)} was asked for a tensor of ${n.toLocaleString('en-US')} elements; the notebook's limit is ${limitText} (2^24). Use a smaller shape.`);
        }
        const result = (v as (...a: unknown[]) => unknown).apply(target, args);
        const big = [...tensorsIn(tf, result)].find((t) => t.size > limits.maxTensorElements);
        if (big) {
          const size = big.size;
          tf.dispose(result as TF.TensorContainer);
          throw new NotebookLimitError(`tf.${String(prop)} made a tensor of ${size.toLocaleString('en-US')} elements (shape [${big.shape.join(', ')}]); the notebook's limit is ${limitText} (2^24).`);
        }
        return result;
      };
      wrapped.set(prop, fn);
      return fn;
    },
  });
}

interface NameEntry {
  cellId: string;
  value: unknown;
}

export class NotebookKernel {
  private readonly names = new Map<string, NameEntry>();
  private interrupted = false;
  private running = false;

  /**
   * @param tf the tfjs module, backend already chosen
   * @param library names every cell can read (quant, formats, …), beside `tf` and the output helpers
   * @param emit receives each output of the running cell
   */
  constructor(
    private readonly tf: Tfjs,
    private readonly library: Readonly<Record<string, unknown>>,
    private readonly emit: (cellId: string, output: CellOutput) => void,
    private readonly limits: KernelLimits = DEFAULT_LIMITS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Names that cells may not declare: the library, tf and the output helpers. */
  reservedNames(): string[] {
    return ['tf', ...Object.keys(this.library), ...Object.keys(createCellHelpers(this.tf, () => undefined, this.limits, () => undefined))];
  }

  /** Which cell declares each shared name now. */
  owners(): Map<string, string> {
    return new Map([...this.names].map(([n, e]) => [n, e.cellId]));
  }

  /** Asks the running cell to stop at its next `await tick()` or output call. */
  interrupt(): void {
    if (this.running) this.interrupted = true;
  }

  /** Forgets every name and disposes every tensor and resource the names held (Restart without a new worker). */
  reset(): void {
    const values = [...this.names.values()].map((e) => e.value);
    const all = tensorsIn(this.tf, values);
    const resources = this.resourcesIn(values);
    this.names.clear();
    for (const t of all) if (!t.isDisposed) t.dispose();
    for (const r of resources) r.dispose();
  }

  /** Library resources (objects the running cell registered, recognised by a dispose method) reachable from a value. */
  private resourcesIn(value: unknown): NotebookResource[] {
    const seen = new Set<unknown>();
    tensorsIn(this.tf, value, new Set(), seen);
    return [...seen].filter((o): o is NotebookResource => typeof o === 'object' && o !== null && !(o instanceof this.tf.Tensor) && typeof (o as { dispose?: unknown }).dispose === 'function' && RESOURCE in (o as object));
  }

  /** Runs one cell; its outputs go to `emit` (an error is an output too). */
  async run(req: RunRequest): Promise<RunResult> {
    if (this.running) throw new Error('A cell is already running.');
    const { tf } = this;
    const start = this.now();
    const label = (id: string) => req.labels[id] ?? `cell "${id}"`;
    let reads: string[] = [];
    const fail = (message: string, line: number | null = null, column: number | null = null, stack: string[] = []): RunResult => {
      this.emit(req.cellId, { kind: 'error', message, line, column, stack });
      return { ok: false, defines: [], reads, ms: this.now() - start };
    };

    let cell: CompiledCell;
    try {
      cell = compileCell(req.source);
    } catch (e) {
      if (e instanceof CellSyntaxError) return fail(`SyntaxError: ${e.message}`, e.at.line, e.at.column);
      throw e;
    }
    reads = cell.reads;
    const reserved = new Set(this.reservedNames());
    for (const n of cell.defines) {
      if (reserved.has(n)) return fail(`“${n}” is a name of the course library; give your value another name.`);
      const owner = this.names.get(n)?.cellId;
      if (owner !== undefined && owner !== req.cellId) return fail(`“${n}” is already declared in ${label(owner)}; ${label(req.cellId)} declares it again. Rename one of them, or change it in ${label(owner)}.`);
    }
    for (const a of cell.assigns) {
      const owner = this.names.get(a.name)?.cellId;
      if (owner !== undefined && owner !== req.cellId) return fail(`“${a.name}” belongs to ${label(owner)}: change it there, or declare a new name here (const ${a.name}2 = …).`, a.at.line, a.at.column);
      if (reserved.has(a.name)) return fail(`“${a.name}” is a name of the course library and cannot be assigned.`, a.at.line, a.at.column);
      return fail(`“${a.name}” is not declared: write const ${a.name} = … (or let, to change it later in this cell).`, a.at.line, a.at.column);
    }

    // Parameters: every name other cells declare, the library, tf, the helpers.
    const outer = [...this.names].filter(([, e]) => e.cellId !== req.cellId);
    let outputs = 0;
    let dropped = false;
    const checkInterrupt = () => {
      if (this.interrupted) throw new CellInterrupted();
    };
    const emit = (o: CellOutput) => {
      checkInterrupt();
      if (outputs >= this.limits.maxOutputs) {
        if (!dropped) this.emit(req.cellId, { kind: 'notice', text: `This cell has shown ${this.limits.maxOutputs} outputs, the notebook's limit; later ones are left out.` });
        dropped = true;
        return;
      }
      outputs++;
      this.emit(req.cellId, o);
    };
    const pending: Promise<unknown>[] = [];
    const helpers = createCellHelpers(tf, emit, this.limits, checkInterrupt, (p) => pending.push(p));
    const scope: Record<string, unknown> = { ...Object.fromEntries(outer.map(([n, e]) => [n, e.value])), ...this.library, tf: guardedTf(tf, this.limits, checkInterrupt), ...helpers };
    const params = Object.keys(scope);
    const fn = new AsyncFunction(...params, LAST_VALUE, cellFunctionBody(cell, req.cellId));

    const made: NotebookResource[] = [];
    collectResources((r) => made.push(r));
    const oldValues = cell.defines.concat([...this.names].filter(([, e]) => e.cellId === req.cellId).map(([n]) => n)).map((n) => this.names.get(n)?.value);
    this.running = true;
    this.interrupted = false;
    tf.engine().startScope();
    let result: { defines: Record<string, unknown>; value: unknown } | null = null;
    let error: unknown = null;
    try {
      result = await fn(...params.map((p) => scope[p]), undefined);
      await Promise.all(pending);
    } catch (e) {
      error = e;
      await Promise.allSettled(pending);
    } finally {
      collectResources(null);
      this.running = false;
      this.interrupted = false;
      tf.engine().endScope(result ? ([...Object.values(result.defines), result.value] as TF.TensorContainer) : undefined);
    }
    if (error !== null) {
      for (const r of made) r.dispose();
      if (error instanceof CellInterrupted) {
        this.emit(req.cellId, { kind: 'notice', text: 'Stopped.' });
        return { ok: false, defines: [], reads, ms: this.now() - start };
      }
      const loc = locateRuntimeError(error, req.cellId, cell);
      return fail(loc.message, loc.at?.line ?? null, loc.at?.column ?? null, loc.stack);
    }
    const r = result as { defines: Record<string, unknown>; value: unknown };
    // Replace this cell's names; dispose what its old values held that nothing holds now.
    for (const [n, e] of [...this.names]) if (e.cellId === req.cellId) this.names.delete(n);
    for (const [n, v] of Object.entries(r.defines)) this.names.set(n, { cellId: req.cellId, value: v });
    const live = new Set<TF.Tensor>();
    for (const e of this.names.values()) tensorsIn(tf, e.value, live);
    for (const t of tensorsIn(tf, oldValues)) if (!live.has(t) && !t.isDisposed) t.dispose();
    const liveObjects = new Set<unknown>();
    for (const e of this.names.values()) tensorsIn(tf, e.value, new Set(), liveObjects);
    for (const r of [...made, ...this.resourcesIn(oldValues)]) if (!liveObjects.has(r)) r.dispose();
    if (r.value !== undefined) {
      if (r.value instanceof tf.Tensor && !r.value.isDisposed) {
        await helpers.show(r.value).catch(() => undefined);
        if (!live.has(r.value)) r.value.dispose();
      } else {
        emit({ kind: 'value', text: formatValue(r.value) });
      }
    }
    return { ok: true, defines: Object.keys(r.defines), reads: cell.reads, ms: this.now() - start };
  }
}
