/**
 * Keyboard reading of charts: which bin of a histogram, or which cell of a heatmap, a key moves to.
 * The charts (components/charts) call these from their key handlers; pure, unit-tested.
 */

/** The keys a chart reads; others are left to the page. */
export const BIN_KEYS: ReadonlySet<string> = new Set(['ArrowRight', 'ArrowUp', 'ArrowLeft', 'ArrowDown', 'PageUp', 'PageDown', 'Home', 'End', 'Escape']);

/**
 * The bin a key moves to from `cur` (null: none yet) in a histogram of `counts`: → and ↑ step right
 * (from nothing: the first non-empty bin), ← and ↓ step left (from nothing: the last non-empty
 * bin), by 1 or with Shift by n/16; PageUp/PageDown move n/16; Home/End go to the ends; Escape
 * (or any other key) gives null. Results stay within [0, n − 1].
 */
export function nextBin(key: string, cur: number | null, counts: ArrayLike<number>, shift = false): number | null {
  const n = counts.length;
  if (n === 0) return null;
  const big = Math.max(1, Math.round(n / 16));
  const step = shift ? big : 1;
  const firstNonEmpty = () => {
    for (let i = 0; i < n; i++) if (counts[i] > 0) return i;
    return 0;
  };
  const lastNonEmpty = () => {
    for (let i = n - 1; i >= 0; i--) if (counts[i] > 0) return i;
    return n - 1;
  };
  const c = cur !== null && cur < n ? cur : null;
  switch (key) {
    case 'ArrowRight':
    case 'ArrowUp':
      return c === null ? firstNonEmpty() : Math.min(n - 1, c + step);
    case 'ArrowLeft':
    case 'ArrowDown':
      return c === null ? lastNonEmpty() : Math.max(0, c - step);
    case 'PageUp':
      return Math.min(n - 1, (c ?? -1) + big);
    case 'PageDown':
      return Math.max(0, (c ?? n) - big);
    case 'Home':
      return 0;
    case 'End':
      return n - 1;
    default:
      return null;
  }
}

/**
 * The heatmap cell a key moves to. The map shows blocks of `blockRows` × `blockCols` cells as one
 * pixel, so keys move by a block and land on its first cell: arrows by one block, PageUp/PageDown
 * by 8 blocks of rows, Home/End to the row's first/last block (with `toCorner`, Ctrl or ⌘: the
 * first/last block of the map). From no cell, an arrow starts at (0, 0). Escape gives null.
 */
export function nextCell(
  key: string,
  cur: { row: number; col: number } | null,
  grid: { rows: number; cols: number; blockRows: number; blockCols: number },
  toCorner = false,
): { row: number; col: number } | null {
  if (key === 'Escape') return null;
  const { rows, cols, blockRows: br, blockCols: bc } = grid;
  const live = cur && cur.row < rows && cur.col < cols ? cur : null;
  if (!live && key.startsWith('Arrow')) return { row: 0, col: 0 };
  const at = live ?? { row: 0, col: 0 };
  const lastR = Math.floor((rows - 1) / br) * br;
  const lastC = Math.floor((cols - 1) / bc) * bc;
  const page = 8;
  const r0 = Math.floor(at.row / br) * br;
  const c0 = Math.floor(at.col / bc) * bc;
  switch (key) {
    case 'ArrowUp': return { row: Math.max(0, r0 - br), col: c0 };
    case 'ArrowDown': return { row: Math.min(lastR, r0 + br), col: c0 };
    case 'ArrowLeft': return { row: r0, col: Math.max(0, c0 - bc) };
    case 'ArrowRight': return { row: r0, col: Math.min(lastC, c0 + bc) };
    case 'PageUp': return { row: Math.max(0, r0 - page * br), col: c0 };
    case 'PageDown': return { row: Math.min(lastR, r0 + page * br), col: c0 };
    case 'Home': return toCorner ? { row: 0, col: 0 } : { row: r0, col: 0 };
    case 'End': return toCorner ? { row: lastR, col: lastC } : { row: r0, col: lastC };
    default: return { row: r0, col: c0 };
  }
}
