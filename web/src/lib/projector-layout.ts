import type { CardColor } from '@goldthread/shared';

/** A card as the projector shows it. */
export interface WallCard {
  key: string;
  text: string;
  color: CardColor;
  /** Where it came from and which theme it is in, e.g. "North · Transport". */
  tag?: string;
}

/** One bar of the vote results: a card and its dots. */
export interface ResultBar {
  key: string;
  text: string;
  tag?: string;
  votes: number;
}

/** How a card wall fills its space: columns, rows and the text size that fits. */
export interface WallLayout {
  columns: number;
  rows: number;
  cellWidth: number;
  cellHeight: number;
  /** Card text size in px. */
  fontSize: number;
  /** Lines of text a card has room for. */
  lines: number;
}

/** The most cards a projector shows at once; more are shown a page at a time. */
export const CARDS_PER_PAGE = 60;

/**
 * Picks the grid that gives `count` cards the largest readable cells in a `width` x `height`
 * area (cards a little wider than tall read best), and the text size for those cells.
 */
export function wallLayout(count: number, width: number, height: number, gap: number): WallLayout {
  const n = Math.max(1, count);
  let best: WallLayout | null = null;
  let bestScore = -1;
  for (let columns = 1; columns <= n; columns++) {
    const rows = Math.ceil(n / columns);
    const cellWidth = (width - gap * (columns - 1)) / columns;
    const cellHeight = (height - gap * (rows - 1)) / rows;
    if (cellWidth <= 0 || cellHeight <= 0) continue;
    // Text needs width more than height: value a cell by what a 1.6:1 card of it would be.
    const score = Math.min(cellWidth / 1.6, cellHeight);
    if (score > bestScore) {
      bestScore = score;
      const fontSize = Math.max(11, Math.min(44, cellHeight / 5.2, cellWidth / 11));
      const lines = Math.max(1, Math.floor((cellHeight - fontSize * 1.9) / (fontSize * 1.22)));
      best = { columns, rows, cellWidth, cellHeight, fontSize, lines };
    }
    // More columns only shrink the cells once every row is full.
    if (rows === 1) break;
  }
  return best ?? { columns: 1, rows: n, cellWidth: width, cellHeight: height / n, fontSize: 12, lines: 1 };
}
