/**
 * The CodeMirror 6 editor of a notebook cell, loaded by dynamic import only when a cell nears the
 * screen (so CodeMirror stays out of a page's first-load JavaScript). TypeScript highlighting,
 * the course API's names completed with their one-line docs, Shift+Enter to run, and the line of
 * the last error marked.
 */
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap, type Completion, type CompletionContext } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { javascript } from '@codemirror/lang-javascript';
import { bracketMatching, HighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { tags as t } from '@lezer/highlight';
import { EditorState, StateEffect, StateField, type Extension } from '@codemirror/state';
import { Decoration, EditorView, keymap, lineNumbers, type DecorationSet } from '@codemirror/view';
import { API_DOCS } from '@/lib/notebook/api-docs';

export interface CellEditorHandle {
  setSource(source: string): void;
  setErrorLine(line: number | null): void;
  focus(): void;
  destroy(): void;
}

const setError = StateEffect.define<number | null>();
const errorLine = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(deco, tr) {
    for (const e of tr.effects) {
      if (e.is(setError)) {
        const line = e.value;
        if (line === null || line < 1 || line > tr.state.doc.lines) return Decoration.none;
        return Decoration.set([Decoration.line({ class: 'cm-error-line' }).range(tr.state.doc.line(line).from)]);
      }
    }
    return tr.docChanged ? Decoration.none : deco.map(tr.changes);
  },
  provide: (f) => EditorView.decorations.from(f),
});

/** Completes the course's names: "pl" → plot, "plot." → plot.line / hist / heatmap. */
function apiCompletions(context: CompletionContext) {
  const word = context.matchBefore(/[A-Za-z_$][\w$]*(\.[\w$]*)*/);
  if (!word || (word.from === word.to && !context.explicit)) return null;
  const text = word.text;
  const dot = text.lastIndexOf('.');
  const head = dot < 0 ? '' : text.slice(0, dot + 1);
  const options: Completion[] = API_DOCS.filter((d) => d.label.startsWith(head) && !d.label.slice(head.length).includes('.')).map((d) => ({
    label: d.label.slice(head.length),
    type: d.type,
    detail: d.detail,
    info: d.info,
  }));
  if (options.length === 0) return null;
  return { from: word.from + head.length, options, validFor: /^[\w$]*$/ };
}

/** Syntax colours from the course's palette, so they follow light and dark mode. */
const highlight = HighlightStyle.define([
  { tag: [t.keyword, t.controlKeyword, t.definitionKeyword, t.moduleKeyword, t.operatorKeyword], color: 'var(--chart-4)' },
  { tag: [t.string, t.special(t.string), t.regexp], color: 'var(--chart-3)' },
  { tag: [t.number, t.bool, t.null, t.atom], color: 'var(--chart-2)' },
  { tag: [t.lineComment, t.blockComment], color: 'var(--fg-muted)', fontStyle: 'italic' },
  { tag: [t.function(t.variableName), t.function(t.propertyName)], color: 'var(--chart-1)' },
  { tag: [t.typeName, t.className], color: 'var(--chart-5)' },
  { tag: t.invalid, color: 'var(--bad)' },
]);

const theme = EditorView.theme({
  '&': { fontSize: '0.9rem', backgroundColor: 'var(--bg-sunken)', color: 'var(--fg)', borderRadius: 'var(--radius)' },
  '.cm-content': { fontFamily: 'var(--font-mono)', caretColor: 'var(--fg)', padding: '0.6rem 0' },
  '.cm-gutters': { backgroundColor: 'transparent', color: 'var(--fg-muted)', border: 'none' },
  '.cm-activeLine': { backgroundColor: 'transparent' },
  '&.cm-focused': { outline: '2px solid var(--accent)', outlineOffset: '1px' },
  '.cm-error-line': { backgroundColor: 'color-mix(in srgb, var(--bad) 18%, transparent)' },
  '.cm-tooltip': { backgroundColor: 'var(--bg-raised)', color: 'var(--fg)', border: '1px solid var(--border)' },
  '.cm-tooltip-autocomplete ul li[aria-selected]': { backgroundColor: 'var(--accent)', color: 'var(--accent-fg)' },
  '.cm-selectionBackground, &.cm-focused .cm-selectionBackground': { backgroundColor: 'color-mix(in srgb, var(--accent) 30%, transparent) !important' },
});

export function createCellEditor(parent: HTMLElement, o: { source: string; label: string; onChange: (source: string) => void; onRun: () => void }): CellEditorHandle {
  const extensions: Extension[] = [
    lineNumbers(),
    history(),
    indentOnInput(),
    bracketMatching(),
    closeBrackets(),
    syntaxHighlighting(highlight),
    javascript({ typescript: true }),
    autocompletion({ override: [apiCompletions] }),
    errorLine,
    keymap.of([
      { key: 'Shift-Enter', preventDefault: true, run: () => { o.onRun(); return true; } },
      ...closeBracketsKeymap,
      ...completionKeymap,
      ...historyKeymap,
      indentWithTab,
      ...defaultKeymap,
    ]),
    EditorView.lineWrapping,
    EditorView.contentAttributes.of({ 'aria-label': o.label }),
    EditorView.updateListener.of((u) => {
      if (u.docChanged) o.onChange(u.state.doc.toString());
    }),
    theme,
  ];
  const view = new EditorView({ state: EditorState.create({ doc: o.source, extensions }), parent });
  return {
    setSource(source) {
      if (source === view.state.doc.toString()) return;
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: source } });
    },
    setErrorLine(line) {
      view.dispatch({ effects: setError.of(line) });
    },
    focus: () => view.focus(),
    destroy: () => view.destroy(),
  };
}
