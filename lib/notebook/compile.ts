/**
 * From a cell's TypeScript to a function the kernel can call, and what the cell defines and reads.
 *
 * 1. Transpile with sucrase's TypeScript transform (types removed, every line kept in place, so a
 *    line of the output is the same line of the cell — https://github.com/alangpierce/sucrase).
 * 2. Parse the JavaScript with acorn (top-level await allowed) and find
 *    - defines: the names the cell declares at its top level (const/let/var, destructuring,
 *      function, class), which later cells may read;
 *    - reads: every identifier the cell uses without declaring it at its top level (an
 *      over-approximation: a name shadowed inside an inner function still counts, which can only
 *      mark a cell stale that did not need it);
 *    - assignments to names the cell does not declare, which the kernel refuses (a name belongs to
 *      the cell that declares it: `x = 1` on another cell's `x` would silently not stick).
 * 3. Wrap: the kernel runs `new AsyncFunction(...names, body)` with the names of earlier cells as
 *    parameters, where body is the cell's code followed by a line returning its defines. The
 *    function's source then starts two lines before the cell (V8 writes
 *    "async function anonymous(a,b\n) {\n"), which CELL_LINE_OFFSET undoes for error positions;
 *    `//# sourceURL=cell-<id>.ts` names the cell's frames in stack traces.
 */
import { parse, type Node } from 'acorn';
import { ancestor } from 'acorn-walk';
import { decode, type SourceMapSegment } from '@jridgewell/sourcemap-codec';
import { transform } from 'sucrase';
import { errorMessage } from '../errors';

/** Where in the cell: 1-based line and column, as the editor shows them. */
export interface CellPosition {
  line: number;
  column: number;
}

export interface CompiledCell {
  /** The transpiled JavaScript, line for line the cell's. */
  js: string;
  /**
   * Per line of js, sucrase's source-map segments [jsColumn, source, line, column] (0-based):
   * removing types moves columns, never lines, so an error's column is looked up here.
   */
  columns: SourceMapSegment[][];
  /** Top-level names the cell declares, in order of appearance. */
  defines: string[];
  /** Identifiers the cell uses but does not declare at top level (sorted, unique). */
  reads: string[];
  /** Names the cell assigns without declaring them, with the first place it does. */
  assigns: { name: string; at: CellPosition }[];
  /** The cell's last statement when it is a bare expression, whose value the notebook shows: its offsets in js. */
  last: { start: number; end: number; at: CellPosition } | null;
}

/** The parameter that receives the value of the cell's last expression. */
export const LAST_VALUE = '__cellValue';
const LAST_PREFIX = `${LAST_VALUE} = (`;

export class CellSyntaxError extends Error {
  constructor(message: string, readonly at: CellPosition) {
    super(message);
    this.name = 'CellSyntaxError';
  }
}

/** Lines between the start of the function's source and the cell's first line (see the module doc). */
export const CELL_LINE_OFFSET = 2;

function positionOf(js: string, offset: number): CellPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (js.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

type AnyNode = Node & Record<string, unknown>;

function patternNames(p: AnyNode | null | undefined, out: string[]): void {
  if (!p) return;
  switch (p.type) {
    case 'Identifier':
      out.push(p.name as string);
      break;
    case 'ObjectPattern':
      for (const prop of p.properties as AnyNode[]) patternNames((prop.type === 'RestElement' ? prop.argument : prop.value) as AnyNode, out);
      break;
    case 'ArrayPattern':
      for (const el of p.elements as (AnyNode | null)[]) patternNames(el, out);
      break;
    case 'RestElement':
      patternNames(p.argument as AnyNode, out);
      break;
    case 'AssignmentPattern':
      patternNames(p.left as AnyNode, out);
      break;
  }
}

/** Names declared by a statement at the cell's top level. */
function topLevelNames(stmt: AnyNode): string[] {
  const out: string[] = [];
  if (stmt.type === 'VariableDeclaration') for (const d of stmt.declarations as AnyNode[]) patternNames(d.id as AnyNode, out);
  else if ((stmt.type === 'FunctionDeclaration' || stmt.type === 'ClassDeclaration') && stmt.id) out.push((stmt.id as AnyNode).name as string);
  return out;
}

/** Whether an Identifier node, seen with its ancestors, is a use of a variable (not a property name, label or declaration of a local). */
function isReference(node: AnyNode, parent: AnyNode | undefined): boolean {
  if (!parent) return true;
  switch (parent.type) {
    case 'MemberExpression':
      return parent.object === node || parent.computed === true;
    case 'Property':
      // { a: 1 } — the key is not a reference; { a } shorthand is (its value is the same node).
      return parent.value === node || parent.computed === true;
    case 'PropertyDefinition':
    case 'MethodDefinition':
      return parent.value === node || parent.computed === true;
    case 'LabeledStatement':
    case 'BreakStatement':
    case 'ContinueStatement':
      return false;
    case 'MetaProperty':
      return false;
    case 'ExportSpecifier':
    case 'ImportSpecifier':
    case 'ImportDefaultSpecifier':
    case 'ImportNamespaceSpecifier':
      return false;
    default:
      return true;
  }
}

/**
 * Transpiles and analyses one cell. Throws CellSyntaxError with the cell's line and column for
 * code that does not parse, for `import`/`export` (cells share names by declaring them), and for
 * a top-level `return`.
 */
export function compileCell(source: string): CompiledCell {
  let js: string;
  let columns: SourceMapSegment[][] = [];
  try {
    const out = transform(source, { transforms: ['typescript'], disableESTransforms: true, keepUnusedImports: true, filePath: 'cell.ts', sourceMapOptions: { compiledFilename: 'cell.js' } });
    js = out.code;
    columns = out.sourceMap ? decode(out.sourceMap.mappings) : [];
  } catch (e) {
    const loc = (e as { loc?: { line: number; column: number } }).loc;
    const msg = errorMessage(e).replace(/\s*\(\d+:\d+\)\s*$/, '');
    throw new CellSyntaxError(msg, loc ? { line: loc.line, column: loc.column + 1 } : { line: 1, column: 1 });
  }
  let program: AnyNode;
  try {
    program = parse(js, { ecmaVersion: 'latest', sourceType: 'module', allowReturnOutsideFunction: true, locations: true }) as unknown as AnyNode;
  } catch (e) {
    const loc = (e as { loc?: { line: number; column: number } }).loc;
    const msg = errorMessage(e).replace(/\s*\(\d+:\d+\)\s*$/, '');
    throw new CellSyntaxError(msg, loc ? toCellPosition(columns, { line: loc.line, column: loc.column + 1 }) : { line: 1, column: 1 });
  }
  const defines: string[] = [];
  for (const stmt of program.body as AnyNode[]) {
    if (stmt.type === 'ImportDeclaration' || stmt.type.startsWith('Export')) {
      throw new CellSyntaxError('Cells do not use import or export: the course library is already in scope (tf, quant, formats, …), and names a cell declares are shared with later cells.', positionOf(js, stmt.start));
    }
    for (const n of topLevelNames(stmt)) if (!defines.includes(n)) defines.push(n);
  }
  const declared = new Set(defines);
  const reads = new Set<string>();
  const assigns: CompiledCell['assigns'] = [];
  // Names declared anywhere inside the cell (function params, inner lets, catch params): an
  // assignment to one of those is local, not to another cell's name.
  const innerDeclared = new Set<string>();
  const declareInner = (pattern: AnyNode | null | undefined) => {
    const out: string[] = [];
    patternNames(pattern, out);
    out.forEach((x) => innerDeclared.add(x));
  };
  ancestor(program as unknown as Node, {
    VariableDeclarator(n) {
      declareInner((n as unknown as AnyNode).id as AnyNode);
    },
    Function(n) {
      const f = n as unknown as AnyNode;
      if (f.id) innerDeclared.add((f.id as AnyNode).name as string);
      for (const p of f.params as AnyNode[]) declareInner(p);
    },
    CatchClause(n) {
      declareInner((n as unknown as AnyNode).param as AnyNode);
    },
    Class(n) {
      const c = n as unknown as AnyNode;
      if (c.id) innerDeclared.add((c.id as AnyNode).name as string);
    },
  });
  ancestor(program as unknown as Node, {
    Identifier(n, _state, ancestors) {
      const node = n as unknown as AnyNode;
      const parent = ancestors[ancestors.length - 2] as unknown as AnyNode | undefined;
      if (!isReference(node, parent)) return;
      const name = node.name as string;
      if (!declared.has(name)) reads.add(name);
    },
    AssignmentExpression(n) {
      const left = (n as unknown as AnyNode).left as AnyNode;
      const names: string[] = [];
      patternNames(left, names);
      for (const name of names) {
        if (!declared.has(name) && !innerDeclared.has(name) && !assigns.some((a) => a.name === name)) assigns.push({ name, at: positionOf(js, left.start) });
      }
    },
    UpdateExpression(n) {
      const arg = (n as unknown as AnyNode).argument as AnyNode;
      if (arg.type === 'Identifier') {
        const name = arg.name as string;
        if (!declared.has(name) && !innerDeclared.has(name) && !assigns.some((a) => a.name === name)) assigns.push({ name, at: positionOf(js, arg.start) });
      }
    },
  });
  ancestor(program as unknown as Node, {
    ReturnStatement(n, _s, ancestors) {
      if (!ancestors.some((a) => a.type.includes('Function'))) throw new CellSyntaxError('A cell cannot return: show a value with show(x) or print(x), or leave it as the last expression.', positionOf(js, (n as unknown as AnyNode).start));
    },
  });
  const body = program.body as AnyNode[];
  const tail = body[body.length - 1];
  const expr = tail?.type === 'ExpressionStatement' && !(tail as AnyNode).directive ? (tail.expression as AnyNode) : null;
  const last = expr ? { start: expr.start, end: expr.end, at: positionOf(js, expr.start) } : null;
  const map = (p: CellPosition) => toCellPosition(columns, p);
  return {
    js, columns, defines, reads: [...reads].sort(),
    assigns: assigns.map((a) => ({ ...a, at: map(a.at) })),
    last: last ? { ...last, at: last.at } : null,
  };
}

/**
 * A position in the transpiled JavaScript as a position in the cell's TypeScript: same line; the
 * column of the nearest source-map segment at or before it, plus the distance from it.
 */
export function toCellPosition(columns: readonly SourceMapSegment[][], p: CellPosition): CellPosition {
  const segs = columns[p.line - 1];
  if (!segs || segs.length === 0) return p;
  const col0 = p.column - 1;
  let best: [number, number, number, number] | null = null;
  for (const s of segs) if (s[0] <= col0 && s.length >= 4) best = s as [number, number, number, number];
  if (!best) return p;
  return { line: best[2] + 1, column: best[3] + (col0 - best[0]) + 1 };
}

/**
 * The body of the cell's AsyncFunction, whose parameters are the names of earlier cells and then
 * LAST_VALUE: the cell's code — a bare last expression rewritten in place, on its own lines, as
 * `__cellValue = (expr)` so its value can be shown without evaluating it twice — then a line
 * returning `{ defines: {...}, value }` (names never assigned come back as undefined rather than
 * throwing), then the sourceURL that names its stack frames.
 */
export function cellFunctionBody(cell: CompiledCell, cellId: string): string {
  const ret = cell.defines.map((n) => `${JSON.stringify(n)}: typeof ${n} === 'undefined' ? undefined : ${n}`).join(', ');
  const js = cell.last ? `${cell.js.slice(0, cell.last.start)}${LAST_PREFIX}${cell.js.slice(cell.last.start, cell.last.end)})${cell.js.slice(cell.last.end)}` : cell.js;
  return `${js}\n;return { defines: { ${ret} }, value: ${LAST_VALUE} };\n//# sourceURL=${cellSourceUrl(cellId)}`;
}

/** The file name a cell's frames carry in stack traces. */
export function cellSourceUrl(cellId: string): string {
  return `cell-${cellId}.ts`;
}

/**
 * The cell's own line and column of an error thrown while it ran, from the stack's first frame in
 * the cell (V8: "…cell-<id>.ts:LINE:COL"), and the stack trimmed to the cell's frames. Null
 * position when no frame is in the cell (the error came from library code called with bad input:
 * the trimmed stack then names no cell line, and the message speaks for itself).
 */
export function locateRuntimeError(err: unknown, cellId: string, cell?: Pick<CompiledCell, 'last' | 'columns'>): { message: string; at: CellPosition | null; stack: string[] } {
  const message = err instanceof Error ? `${err.name && err.name !== 'Error' ? `${err.name}: ` : ''}${err.message}` : `Thrown: ${String(err)}`;
  const stackText = err instanceof Error && typeof err.stack === 'string' ? err.stack : '';
  const url = cellSourceUrl(cellId).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`${url}:(\\d+):(\\d+)`);
  const stack: string[] = [];
  let at: CellPosition | null = null;
  for (const line of stackText.split('\n')) {
    const m = re.exec(line);
    if (!m) continue;
    const pos = { line: Number(m[1]) - CELL_LINE_OFFSET, column: Number(m[2]) };
    // Undo the rewrite of the last expression, which put LAST_PREFIX before it on its first line.
    if (cell?.last && pos.line === cell.last.at.line && pos.column > cell.last.at.column) pos.column -= LAST_PREFIX.length;
    const mapped = cell ? toCellPosition(cell.columns, pos) : pos;
    pos.line = mapped.line;
    pos.column = mapped.column;
    at ??= pos;
    const fn = /at (?:async )?([^\s(]+) \(/.exec(line)?.[1];
    stack.push(`line ${pos.line}, column ${pos.column}${fn && fn !== 'eval' && fn !== 'anonymous' ? ` (in ${fn})` : ''}`);
  }
  return { message, at, stack };
}
