/** Rooms a workshop gets when its creator names none. */
export const DEFAULT_ROOM_NAMES: readonly string[] = ['North', 'Central', 'South'];

/** Boards a workshop gets when its creator names none. */
export const DEFAULT_BOARDS: readonly { kind: string; title: string; prompt: string }[] = [
  { kind: 'priorities', title: 'Priorities', prompt: 'What should our three shared priorities be?' },
  { kind: 'vision', title: 'Vision', prompt: 'What would a better life here look like in 10 years?' },
  { kind: 'barriers', title: 'Barriers', prompt: 'What gets in the way of working together?' }
];

/** Sectors people may give when joining, so results can be compared by sector without names. */
export const SECTORS = [
  'Council',
  'Voluntary & community',
  'NHS & health',
  'Police & fire',
  'Business',
  'Resident',
  'Other'
] as const;

export type Sector = (typeof SECTORS)[number];

/** Card colours, each with a name so colour is never the only carrier of meaning. */
export const CARD_COLORS = [
  { id: 'yellow', label: 'Yellow', background: '#fff3b0' },
  { id: 'blue', label: 'Blue', background: '#cfe8ff' },
  { id: 'green', label: 'Green', background: '#d3f5d3' },
  { id: 'pink', label: 'Pink', background: '#ffd6e7' },
  { id: 'orange', label: 'Orange', background: '#ffe0c2' },
  { id: 'purple', label: 'Purple', background: '#e6dcff' }
] as const;

export type CardColor = (typeof CARD_COLORS)[number]['id'];

export const DEFAULT_CARD_COLOR: CardColor = 'yellow';

/** True when a string names one of the card colours. */
export function isCardColor(value: string): value is CardColor {
  return CARD_COLORS.some((c) => c.id === value);
}
