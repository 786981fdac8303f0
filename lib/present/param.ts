/** The query parameter a deck link carries its deck in (lib/present/deck reads it). Apart so that pages can look for it without loading the deck code. */
export const DECK_PARAM = 'deck';
