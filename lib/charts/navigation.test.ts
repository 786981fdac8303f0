import { describe, expect, it } from 'vitest';
import { BIN_KEYS, nextBin, nextCell } from './navigation';

describe('nextBin', () => {
  const counts = [0, 0, 3, 4, 0, 1, 0, 0];
  it('starts at the first non-empty bin going right, the last going left', () => {
    expect(nextBin('ArrowRight', null, counts)).toBe(2);
    expect(nextBin('ArrowLeft', null, counts)).toBe(5);
  });
  it('steps by one and stays inside the histogram', () => {
    expect(nextBin('ArrowRight', 3, counts)).toBe(4);
    expect(nextBin('ArrowRight', 7, counts)).toBe(7);
    expect(nextBin('ArrowDown', 0, counts)).toBe(0);
  });
  it('Shift and PageUp/PageDown move n/16 bins; Home/End go to the ends; Escape clears', () => {
    const many = new Array(64).fill(1);
    expect(nextBin('ArrowRight', 10, many, true)).toBe(14);
    expect(nextBin('PageUp', 10, many)).toBe(14);
    expect(nextBin('PageDown', 10, many)).toBe(6);
    expect(nextBin('PageUp', null, many)).toBe(3);
    expect(nextBin('Home', 10, many)).toBe(0);
    expect(nextBin('End', 10, many)).toBe(63);
    expect(nextBin('Escape', 10, many)).toBeNull();
  });
  it('an empty histogram has no bin to read', () => {
    expect(nextBin('ArrowRight', null, [])).toBeNull();
  });
  it('lists the keys it reads', () => {
    expect(BIN_KEYS.has('Home') && BIN_KEYS.has('Escape') && !BIN_KEYS.has('Tab')).toBe(true);
  });
});

describe('nextCell', () => {
  const grid = { rows: 10, cols: 7, blockRows: 2, blockCols: 3 };
  it('an arrow with no cell starts at the top left', () => {
    expect(nextCell('ArrowDown', null, grid)).toEqual({ row: 0, col: 0 });
  });
  it('moves by a block and lands on its first cell', () => {
    expect(nextCell('ArrowDown', { row: 1, col: 4 }, grid)).toEqual({ row: 2, col: 3 });
    expect(nextCell('ArrowRight', { row: 1, col: 4 }, grid)).toEqual({ row: 0, col: 6 });
    expect(nextCell('ArrowRight', { row: 0, col: 6 }, grid)).toEqual({ row: 0, col: 6 });
    expect(nextCell('ArrowUp', { row: 0, col: 0 }, grid)).toEqual({ row: 0, col: 0 });
  });
  it('Home/End go along the row, with Ctrl to the corners; PageDown moves 8 blocks, clamped', () => {
    expect(nextCell('End', { row: 5, col: 1 }, grid)).toEqual({ row: 4, col: 6 });
    expect(nextCell('Home', { row: 5, col: 5 }, grid)).toEqual({ row: 4, col: 0 });
    expect(nextCell('End', { row: 5, col: 1 }, grid, true)).toEqual({ row: 8, col: 6 });
    expect(nextCell('Home', { row: 5, col: 5 }, grid, true)).toEqual({ row: 0, col: 0 });
    expect(nextCell('PageDown', { row: 0, col: 0 }, grid)).toEqual({ row: 8, col: 0 });
  });
  it('Escape clears the reading', () => {
    expect(nextCell('Escape', { row: 1, col: 1 }, grid)).toBeNull();
  });
});
