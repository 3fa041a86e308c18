import { CARD_COLORS, type CardColor } from '@goldthread/shared';

/** Display details of a card colour; unknown ids fall back to the first colour. */
export function cardColour(id: CardColor): (typeof CARD_COLORS)[number] {
  return CARD_COLORS.find((colour) => colour.id === id) ?? CARD_COLORS[0];
}
