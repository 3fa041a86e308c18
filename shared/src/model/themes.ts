import * as Y from 'yjs';
import { cardsMap } from './cards.js';
import { newId } from './ids.js';

/**
 * Themes group a board's cards in the Group phase. They live in the room's document: a
 * top-level Y.Map `themes`, themeId -> Y.Map { boardId, name, createdAt }; a card joins a
 * theme through its own `themeId` field.
 */
export const THEMES_KEY = 'themes';

export const THEME_NAME_LIMIT = 80;

export interface ThemeView {
  id: string;
  boardId: string;
  name: string;
  createdAt: number;
  /** Cards in the theme, oldest first. */
  cardIds: string[];
}

/** The room's `themes` map. */
export function themesMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap<Y.Map<unknown>>(THEMES_KEY);
}

/** Adds a named theme to a board and returns its id. */
export function addTheme(doc: Y.Doc, boardId: string, name: string, id: string = newId()): string {
  putTheme(doc, { id, boardId, name: name.trim().slice(0, THEME_NAME_LIMIT) || 'Untitled theme', createdAt: Date.now() });
  return id;
}

/** Writes a theme exactly as given (id and time included), replacing any theme with that id. */
export function putTheme(doc: Y.Doc, theme: Omit<ThemeView, 'cardIds'>): void {
  const entry = new Y.Map<unknown>();
  doc.transact(() => {
    entry.set('boardId', theme.boardId);
    entry.set('name', theme.name);
    entry.set('createdAt', theme.createdAt);
    themesMap(doc).set(theme.id, entry);
  });
}

/**
 * Makes the document hold exactly the `target` themes (e.g. a snapshot's, being restored) in one
 * transaction: missing ones come back with their ids, names and places, renamed ones get their
 * name back, and extra ones go, their cards ungrouped. Which cards are in which theme is the
 * cards' own field: `reconcileCards` restores it.
 */
export function reconcileThemes(doc: Y.Doc, target: readonly Omit<ThemeView, 'cardIds'>[]): void {
  const wanted = new Map(target.map((theme) => [theme.id, theme]));
  doc.transact(() => {
    const themes = themesMap(doc);
    for (const id of [...themes.keys()]) if (!wanted.has(id)) deleteTheme(doc, id);
    for (const theme of target) {
      const current = themes.get(theme.id);
      if (current instanceof Y.Map && current.get('boardId') === theme.boardId && current.get('createdAt') === theme.createdAt) {
        if (current.get('name') !== theme.name) current.set('name', theme.name);
        continue;
      }
      putTheme(doc, theme);
    }
  });
}

/** Renames a theme. */
export function renameTheme(doc: Y.Doc, themeId: string, name: string): boolean {
  const entry = themesMap(doc).get(themeId);
  const trimmed = name.trim().slice(0, THEME_NAME_LIMIT);
  if (!entry || !trimmed) return false;
  entry.set('name', trimmed);
  return true;
}

/** Puts a card into a theme (or takes it out with null). The theme must be on the card's board. */
export function moveCardToTheme(doc: Y.Doc, cardId: string, themeId: string | null): boolean {
  const card = cardsMap(doc).get(cardId);
  if (!card) return false;
  if (themeId === null) {
    if (card.has('themeId')) card.delete('themeId');
    return true;
  }
  const theme = themesMap(doc).get(themeId);
  if (!theme || theme.get('boardId') !== card.get('boardId')) return false;
  card.set('themeId', themeId);
  return true;
}

/** Moves every card of `fromId` into `intoId` and removes `fromId`. */
export function mergeThemes(doc: Y.Doc, fromId: string, intoId: string): boolean {
  const themes = themesMap(doc);
  const from = themes.get(fromId);
  const into = themes.get(intoId);
  if (!from || !into || fromId === intoId || from.get('boardId') !== into.get('boardId')) return false;
  doc.transact(() => {
    cardsMap(doc).forEach((card) => {
      if (card.get('themeId') === fromId) card.set('themeId', intoId);
    });
    themes.delete(fromId);
  });
  return true;
}

/** Removes a theme; its cards become ungrouped. */
export function deleteTheme(doc: Y.Doc, themeId: string): boolean {
  const themes = themesMap(doc);
  if (!themes.has(themeId)) return false;
  doc.transact(() => {
    cardsMap(doc).forEach((card) => {
      if (card.get('themeId') === themeId) card.delete('themeId');
    });
    themes.delete(themeId);
  });
  return true;
}

/** The themes of a board with their cards, oldest theme first; malformed entries are skipped. */
export function readThemes(doc: Y.Doc, boardId?: string): ThemeView[] {
  const members = new Map<string, { id: string; createdAt: number }[]>();
  cardsMap(doc).forEach((card, cardId) => {
    const themeId = card instanceof Y.Map ? card.get('themeId') : undefined;
    if (typeof themeId !== 'string') return;
    const createdAt = card.get('createdAt');
    const list = members.get(themeId) ?? [];
    list.push({ id: cardId, createdAt: typeof createdAt === 'number' ? createdAt : 0 });
    members.set(themeId, list);
  });
  const themes: ThemeView[] = [];
  themesMap(doc).forEach((entry, id) => {
    if (!(entry instanceof Y.Map)) return;
    const themeBoard = entry.get('boardId');
    const name = entry.get('name');
    if (typeof themeBoard !== 'string' || typeof name !== 'string') return;
    if (boardId !== undefined && themeBoard !== boardId) return;
    const createdAt = entry.get('createdAt');
    const cardIds = (members.get(id) ?? []).sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id)).map((c) => c.id);
    themes.push({ id, boardId: themeBoard, name, createdAt: typeof createdAt === 'number' ? createdAt : 0, cardIds });
  });
  return themes.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}
