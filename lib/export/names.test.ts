import { describe, expect, it } from 'vitest';
import { datedFileName, exportFileName, fileStem } from './names';

describe('fileStem', () => {
  it('turns a title into lower-case hyphenated ASCII', () => {
    expect(fileStem('The quantization lab')).toBe('the-quantization-lab');
    expect(fileStem('Bit explorer: FP16 / BF16')).toBe('bit-explorer-fp16-bf16');
    expect(fileStem('Déjà vu — 4-bit')).toBe('deja-vu-4-bit');
    expect(fileStem('1024 × 1024 matrix')).toBe('1024-x-1024-matrix');
  });
  it('falls back when nothing is left', () => {
    expect(fileStem('')).toBe('lowbit');
    expect(fileStem('→ ←', 'widget')).toBe('widget');
  });
  it('cuts long titles at a hyphen', () => {
    const stem = fileStem('alpha beta gamma delta epsilon', 'x', 20);
    expect(stem).toBe('alpha-beta-gamma');
    expect(stem.length).toBeLessThanOrEqual(20);
    expect(fileStem('abcdefghijklmnopqrstuvwxyz', 'x', 10)).toBe('abcdefghij');
  });
});

describe('exportFileName', () => {
  it('numbers items only when there are several', () => {
    expect(exportFileName('lab', 'chart', 0, 1, 'svg')).toBe('lab.svg');
    expect(exportFileName('lab', 'chart', 1, 3, 'png')).toBe('lab-chart-2.png');
    expect(exportFileName('lab', 'table', 0, 2, 'csv')).toBe('lab-table-1.csv');
  });
});

describe('datedFileName', () => {
  it('stamps the UTC date and minute', () => {
    expect(datedFileName('lowbit-bench', new Date(Date.UTC(2026, 10, 26, 4, 7, 59)), 'json')).toBe('lowbit-bench-2026-11-26-0407.json');
  });
});
