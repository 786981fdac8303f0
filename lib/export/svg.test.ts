import { describe, expect, it } from 'vitest';
import { inlineStyleDiff, inlineStyleText, rasterSize, svgFileText, SVG_STYLE_PROPERTIES } from './svg';

describe('inlineStyleText', () => {
  it('writes non-empty computed values and skips empty ones', () => {
    const values: Record<string, string> = { fill: 'rgb(39, 83, 201)', stroke: '', 'font-size': ' 13px ' };
    expect(inlineStyleText((p) => values[p] ?? '', ['fill', 'stroke', 'font-size'])).toBe('fill: rgb(39, 83, 201); font-size: 13px');
  });
  it('turns double quotes into single ones for the XML attribute', () => {
    expect(inlineStyleText(() => '"Segoe UI", Roboto', ['font-family'])).toBe("font-family: 'Segoe UI', Roboto");
  });
  it('covers paint, stroke and text', () => {
    for (const p of ['fill', 'stroke', 'stroke-dasharray', 'font-size', 'text-anchor', 'stop-color']) expect(SVG_STYLE_PROPERTIES).toContain(p);
  });
});

describe('svgFileText', () => {
  it('prefixes the XML declaration', () => {
    expect(svgFileText('<svg/>')).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<svg/>\n');
  });
});

describe('rasterSize', () => {
  it('doubles and rounds the drawn size', () => {
    expect(rasterSize(320.4, 120.26)).toEqual({ width: 641, height: 241 });
    expect(rasterSize(10, 10, 3)).toEqual({ width: 30, height: 30 });
  });
  it('never gives zero or NaN pixels', () => {
    expect(rasterSize(0, Number.NaN)).toEqual({ width: 1, height: 1 });
  });
});

describe('inlineStyleDiff', () => {
  const props = ['fill', 'font-size', 'opacity', 'display', 'stop-color'];
  const parent: Record<string, string> = { fill: 'rgb(0, 0, 0)', 'font-size': '12px', opacity: '0.5', display: 'inline', 'stop-color': 'rgb(0, 0, 0)' };
  it('writes every inherited value on the root, and non-inherited ones only when not initial', () => {
    expect(inlineStyleDiff((p) => parent[p], null, props)).toBe('fill: rgb(0, 0, 0); font-size: 12px; opacity: 0.5');
  });
  it('writes an inherited value only where it differs from the parent', () => {
    const child: Record<string, string> = { ...parent, fill: 'rgb(39, 83, 201)', opacity: '1' };
    expect(inlineStyleDiff((p) => child[p], (p) => parent[p], props)).toBe('fill: rgb(39, 83, 201)');
  });
  it('keeps a non-inherited value equal to the parent\'s (it would not pass down) and display: none', () => {
    const child: Record<string, string> = { ...parent, display: 'none', 'stop-color': 'rgb(255, 0, 0)' };
    expect(inlineStyleDiff((p) => child[p], (p) => parent[p], props)).toBe('opacity: 0.5; display: none; stop-color: rgb(255, 0, 0)');
  });
});
