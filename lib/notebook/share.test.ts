import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { NotebookDoc } from './document';
import { decodeShareFragment, encodeShareFragment, hasShareFragment } from './share';

const doc: NotebookDoc = {
  title: 'Mine — ünïcödé ✓',
  cells: [
    { id: 'c1', kind: 'code', source: 'const w = random.normal([1024]);\nshow(quant.quantize4bit(w, 64))' },
    { id: 'c2', kind: 'markdown', source: 'Notes: 😀' },
  ],
};

const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

describe('share links', () => {
  it('round-trip a notebook through the URL fragment, compressed', async () => {
    const frag = await encodeShareFragment(doc);
    expect(frag).toMatch(/^nb=1\.[A-Za-z0-9_-]+$/);
    expect(hasShareFragment(`#${frag}`)).toBe(true);
    expect(await decodeShareFragment(`#${frag}`)).toEqual(doc);
    const long = { title: 'x', cells: [{ id: 'c1', kind: 'code' as const, source: 'print(1);\n'.repeat(1000) }] };
    const f2 = await encodeShareFragment(long);
    expect(f2.length).toBeLessThan(long.cells[0].source.length / 10);
    expect(await decodeShareFragment(f2)).toEqual(long);
  });
  it('is raw DEFLATE of the JSON in base64url, so other tools can read it', async () => {
    const frag = await encodeShareFragment(doc);
    const made = `nb=1.${b64url(deflateRawSync(Buffer.from(JSON.stringify(doc))))}`;
    expect(await decodeShareFragment(made)).toEqual(doc);
    expect(frag.startsWith('nb=1.')).toBe(true);
  });
  it('refuses damaged, foreign, oversized and zip-bomb links by name', async () => {
    await expect(decodeShareFragment('#foo=1')).rejects.toThrow(/no shared notebook/);
    await expect(decodeShareFragment('nb=9.abc')).rejects.toThrow(/format version "9"/);
    await expect(decodeShareFragment('nb=1.@@@')).rejects.toThrow(/characters a share link never contains/);
    await expect(decodeShareFragment('nb=1.AAAA')).rejects.toThrow(/damaged/);
    const notNotebook = `nb=1.${b64url(deflateRawSync(Buffer.from('{"cells": 5}')))}`;
    await expect(decodeShareFragment(notNotebook)).rejects.toThrow(/list of cells/);
    const bomb = `nb=1.${b64url(deflateRawSync(Buffer.alloc(5_000_000, 32)))}`;
    expect(bomb.length).toBeLessThan(20_000);
    await expect(decodeShareFragment(bomb)).rejects.toThrow(/larger than .* MB once unpacked/);
    await expect(decodeShareFragment(`nb=1.${'A'.repeat(300_000)}`)).rejects.toThrow(/300,005 characters long/);
  });
});
