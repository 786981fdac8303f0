'use client';

import { useId, useState, useSyncExternalStore, type ChangeEvent, type ReactNode } from 'react';
import { DECK_LIMITS, DECK_PARAM, deckFileName, deckFromJson, deckToJson, encodeDeckParam, moveScene, nextSceneName, removeScene, stepScene } from '@/lib/present/deck';
import { widgetStates } from '@/lib/url/widget-registry';
import { goToScene, saveScene, setDeck, setPresentMessage, type PresentSnapshot } from './PresentSession';

function useRegistered(stateId: string | undefined): boolean {
  return useSyncExternalStore(
    widgetStates.subscribe,
    () => stateId !== undefined && widgetStates.get(stateId) !== undefined,
    () => false,
  );
}

/**
 * The deck in presenter mode: step through the page's scenes (buttons or ←/→), save this widget's
 * current settings as a named scene, and manage the deck — reorder, delete, copy its link,
 * download it as JSON or open a deck file.
 */
export function DeckPanel({ stateId, session }: { stateId?: string; title: ReactNode; session: PresentSnapshot }) {
  const { deck, index, message } = session;
  const n = deck.scenes.length;
  const canSave = useRegistered(stateId);
  const [name, setName] = useState('');
  const nameId = useId();
  const current = index !== null ? deck.scenes[index] : undefined;
  const step = (by: number) => {
    const next = stepScene(index, by, n);
    if (next !== null) goToScene(next);
  };
  return (
    <div className="deck-panel" data-testid="deck-panel">
      <div className="deck-nav" role="group" aria-label="Scenes">
        <button type="button" onClick={() => step(-1)} disabled={n === 0 || index === 0} aria-label="Previous scene (←)" data-testid="deck-prev">
          ←
        </button>
        <span className="deck-position" aria-live="polite" data-testid="deck-position">
          {n === 0 ? 'No scenes yet' : current ? `Scene ${index! + 1} of ${n}: ${current.name}` : `${n} scene${n === 1 ? '' : 's'}`}
        </span>
        <button type="button" onClick={() => step(1)} disabled={n === 0 || index === n - 1} aria-label="Next scene (→)" data-testid="deck-next">
          →
        </button>
      </div>
      {canSave && stateId && (
        <button type="button" onClick={() => { saveScene(stateId, name || nextSceneName(deck)); setName(''); }} data-testid="deck-save" title="Save this widget’s current settings as the deck’s next scene">
          Save scene
        </button>
      )}
      <details className="deck-manage">
        <summary data-testid="deck-manage">Deck ({n})</summary>
        <div className="deck-manage-body">
          {canSave && stateId && (
            <form
              className="deck-save"
              onSubmit={(e) => {
                e.preventDefault();
                saveScene(stateId, name || nextSceneName(deck));
                setName('');
              }}
            >
              <label htmlFor={nameId}>Name</label>
              <input id={nameId} type="text" value={name} maxLength={DECK_LIMITS.name} placeholder={nextSceneName(deck)} onChange={(e) => setName(e.target.value)} data-testid="deck-scene-name" />
              <button type="submit" data-testid="deck-save-named">
                Save as a scene
              </button>
            </form>
          )}
          <SceneList session={session} />
          <DeckFiles session={session} />
        </div>
      </details>
      {message && (
        <p className={message.kind === 'bad' ? 'error-message deck-message' : 'deck-message'} role={message.kind === 'bad' ? 'alert' : 'status'} data-testid="deck-message">
          {message.text}
        </p>
      )}
    </div>
  );
}

function SceneList({ session: { deck, index } }: { session: PresentSnapshot }) {
  if (deck.scenes.length === 0) return <p className="deck-empty">Save a scene to start a deck for this page.</p>;
  return (
    <ol className="deck-scenes" data-testid="deck-scenes">
      {deck.scenes.map((s, i) => (
        <li key={`${i}-${s.name}`} aria-current={i === index ? 'step' : undefined}>
          <span className="deck-scene-number">{i + 1}.</span>
          <button type="button" className="deck-go" onClick={() => goToScene(i)} title={s.query || 'the defaults'}>
            {s.name}
          </button>
          <span className="deck-scene-widget">{s.widget}</span>
          <button type="button" onClick={() => setDeck(moveScene(deck, i, -1), null, i > 0 && index === i ? i - 1 : index)} disabled={i === 0} aria-label={`Move “${s.name}” earlier`}>
            ↑
          </button>
          <button type="button" onClick={() => setDeck(moveScene(deck, i, 1), null, i < deck.scenes.length - 1 && index === i ? i + 1 : index)} disabled={i === deck.scenes.length - 1} aria-label={`Move “${s.name}” later`}>
            ↓
          </button>
          <button type="button" onClick={() => setDeck(removeScene(deck, i), { kind: 'ok', text: `Deleted “${s.name}”.` })} aria-label={`Delete “${s.name}”`}>
            Delete
          </button>
        </li>
      ))}
    </ol>
  );
}

function DeckFiles({ session: { deck } }: { session: PresentSnapshot }) {
  const [link, setLink] = useState<string | null>(null);
  const fileId = useId();
  const copyLink = async () => {
    const value = encodeDeckParam(deck);
    if (value === null) return setPresentMessage({ kind: 'bad', text: `The deck is too large for a link (over ${DECK_LIMITS.param.toLocaleString('en-US')} characters): download it as a file instead.` });
    const url = `${location.origin}${location.pathname}?${DECK_PARAM}=${value}`;
    setLink(url);
    try {
      await navigator.clipboard.writeText(url);
      setPresentMessage({ kind: 'ok', text: 'Deck link copied.' });
    } catch {
      setPresentMessage({ kind: 'ok', text: 'Copy the deck link from the box.' });
    }
  };
  const download = () => {
    const url = URL.createObjectURL(new Blob([deckToJson(deck)], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = deckFileName(deck.page);
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  const open = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    if (file.size > DECK_LIMITS.file) return setPresentMessage({ kind: 'bad', text: `${file.name} is ${file.size.toLocaleString('en-US')} bytes, more than the ${DECK_LIMITS.file.toLocaleString('en-US')} a deck can be. The deck is unchanged.` });
    const check = deckFromJson(await file.text());
    if (!check.ok) return setPresentMessage({ kind: 'bad', text: `${file.name} could not be opened: ${check.problems.join('; ')}. The deck is unchanged.` });
    if (check.deck.page !== deck.page) return setPresentMessage({ kind: 'bad', text: `${file.name} is a deck for the page ${check.deck.page}, not this one. The deck is unchanged.` });
    setDeck(check.deck, { kind: 'ok', text: `Opened ${file.name}: ${check.deck.scenes.length} scenes.` });
  };
  return (
    <div className="deck-files">
      <button type="button" onClick={copyLink} disabled={deck.scenes.length === 0} data-testid="deck-copy-link">
        Copy deck link
      </button>
      <button type="button" onClick={download} disabled={deck.scenes.length === 0} data-testid="deck-download">
        Download deck (.json)
      </button>
      <label htmlFor={fileId} className="deck-open">
        Open deck file
      </label>
      <input id={fileId} type="file" accept=".json,application/json" onChange={open} data-testid="deck-open" />
      {link && <input type="text" readOnly value={link} aria-label="Deck link" onFocus={(e) => e.target.select()} data-testid="deck-link" />}
    </div>
  );
}
