import { describe, expect, it } from 'vitest';
import { DECK_LIMITS, addScene, checkDeck, decodeDeckParam, deckFileName, deckFromJson, deckToJson, emptyDeck, encodeDeckParam, moveScene, nextSceneName, removeScene, stepScene, type Deck } from './deck';

const deck: Deck = {
  version: 1,
  page: '/lessons/scale-and-zero-point/',
  scenes: [
    { name: 'Defaults', widget: 'lab', query: '' },
    { name: 'INT4 — outliers', widget: 'lab', query: 'lab.bits=4&lab.outliers=true' },
    { name: 'Asymmetric', widget: 'lab', query: 'lab.scheme=asymmetric' },
  ],
};

describe('deck links and files', () => {
  it('round-trip through a link value (base64url, no characters a URL must escape) and a JSON file', () => {
    const param = encodeDeckParam(deck);
    expect(param).not.toBeNull();
    expect(param).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeDeckParam(param!)).toEqual({ ok: true, deck });
    expect(deckFromJson(deckToJson(deck))).toEqual({ ok: true, deck });
  });
  it('decode what a browser’s btoa writes for the same JSON (base64url = base64 with - _ and no padding)', () => {
    const json = JSON.stringify(deck);
    const b64 = Buffer.from(json, 'utf8').toString('base64url');
    expect(encodeDeckParam(deck)).toBe(b64);
  });
  it('name a cut-short, non-base64, non-JSON or oversized link value instead of using it', () => {
    const param = encodeDeckParam(deck)!;
    for (const raw of [param.slice(0, param.length - 7), 'not base64!', Buffer.from('{"version":1', 'utf8').toString('base64url'), 'x'.repeat(DECK_LIMITS.param + 1)]) {
      const r = decodeDeckParam(raw);
      expect(r.ok, raw.slice(0, 20)).toBe(false);
      if (!r.ok) expect(r.problems.length).toBeGreaterThan(0);
    }
  });
  it('name every problem of a malformed deck, scene by scene', () => {
    const r = checkDeck({ version: 2, page: 'lessons', scenes: [{ name: '', widget: 'lab', query: '' }, { name: 'x', widget: 'a b', query: 1 }, { name: 'y', widget: 'lab', query: 'other.bits=4' }, 7] });
    expect(r).toEqual({
      ok: false,
      problems: [
        'its version is 2, and only version 1 is known',
        'its page is not a path of this site',
        'scene 1 has no name',
        'scene 2’s widget is not a widget id (letters, digits, - and _, at most 64)',
        'scene 2 has no settings (query)',
        'scene 3’s setting other.bits is not one of widget lab’s',
        'scene 4 is not an object',
      ],
    });
    expect(checkDeck([]).ok).toBe(false);
    expect(deckFromJson('{').ok).toBe(false);
  });
  it('keep only the known fields and enforce the bounds on scenes, names and file size', () => {
    const extra = { ...deck, secret: 1, scenes: [{ ...deck.scenes[0], colour: 'red' }] };
    expect(checkDeck(extra)).toEqual({ ok: true, deck: { ...deck, scenes: [deck.scenes[0]] } });
    const many = { ...deck, scenes: Array.from({ length: DECK_LIMITS.scenes + 1 }, () => deck.scenes[0]) };
    expect(checkDeck(many).ok).toBe(false);
    expect(checkDeck({ ...deck, scenes: [{ ...deck.scenes[0], name: 'n'.repeat(DECK_LIMITS.name + 1) }] }).ok).toBe(false);
    expect(deckFromJson(' '.repeat(DECK_LIMITS.file + 1)).ok).toBe(false);
  });
});

describe('editing and stepping a deck', () => {
  it('adds, removes and moves scenes without changing the deck it was given', () => {
    const d = emptyDeck('/x/');
    const one = addScene(d, deck.scenes[0])!;
    expect(d.scenes).toEqual([]);
    const three = addScene(addScene(one, deck.scenes[1])!, deck.scenes[2])!;
    expect(moveScene(three, 2, -1).scenes.map((s) => s.name)).toEqual(['Defaults', 'Asymmetric', 'INT4 — outliers']);
    expect(moveScene(three, 0, -1)).toBe(three);
    expect(moveScene(three, 0, 5).scenes.map((s) => s.name)).toEqual(['INT4 — outliers', 'Asymmetric', 'Defaults']);
    expect(removeScene(three, 1).scenes.map((s) => s.name)).toEqual(['Defaults', 'Asymmetric']);
    const full = { ...d, scenes: Array.from({ length: DECK_LIMITS.scenes }, () => deck.scenes[0]) };
    expect(addScene(full, deck.scenes[0])).toBeNull();
  });
  it('steps within the deck and starts at either end', () => {
    expect(stepScene(null, 1, 3)).toBe(0);
    expect(stepScene(null, -1, 3)).toBe(2);
    expect(stepScene(0, 1, 3)).toBe(1);
    expect(stepScene(2, 1, 3)).toBe(2);
    expect(stepScene(0, -1, 3)).toBe(0);
    expect(stepScene(1, 1, 0)).toBeNull();
  });
  it('names new scenes uniquely and files by the page', () => {
    expect(nextSceneName(deck)).toBe('Scene 4');
    expect(nextSceneName({ ...deck, scenes: [{ name: 'Scene 2', widget: 'a', query: '' }] })).toBe('Scene 3');
    expect(nextSceneName({ ...deck, scenes: [{ name: 'Scene 1', widget: 'a', query: '' }, { name: 'Scene 3', widget: 'a', query: '' }] })).toBe('Scene 4');
    expect(deckFileName('/lessons/scale-and-zero-point/')).toBe('deck-scale-and-zero-point.json');
    expect(deckFileName('/')).toBe('deck-home.json');
  });
});
