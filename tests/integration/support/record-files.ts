/**
 * A workshop record (notes JSON, version 2) with what differs between two copies of the same
 * workshop replaced by stable names: workshop, room and board ids by position — wherever they
 * occur, plenary copies' `<roomId>-<cardId>` keys included — and the workshop's creation time
 * and date; cards of the same millisecond, ordered by id, are put in order again. Card ids, texts,
 * authors, times, themes, votes and proxy marks stay as they are.
 */
export function normaliseRecord(value: unknown): unknown {
  const record = value as {
    workshops: { workshop: { id: string; createdAt: number; date?: string }; boards: { id: string }[]; rooms: { id: string }[] }[];
  };
  const names = new Map<string, string>();
  record.workshops.forEach((entry, w) => {
    names.set(entry.workshop.id, `workshop-${w}`);
    entry.boards.forEach((board, i) => names.set(board.id, `workshop-${w}/board-${i}`));
    entry.rooms.forEach((room, i) => names.set(room.id, `workshop-${w}/room-${i}`));
  });
  let text = JSON.stringify(value);
  // Generated ids are random url-safe strings, so they never occur by chance inside other text.
  for (const [id, name] of names) text = text.split(id).join(name);
  const normalised = JSON.parse(text) as typeof record;
  // Cards are listed oldest first, and cards of the same millisecond by id: with ids renamed, sort again.
  const byTimeThenId = (a: { createdAt: number; id: string }, b: { createdAt: number; id: string }) =>
    a.createdAt - b.createdAt || a.id.localeCompare(b.id);
  const resort = (space: { cards?: { createdAt: number; id: string }[] } | undefined) => space?.cards?.sort(byTimeThenId);
  for (const entry of normalised.workshops as unknown as Spaces[]) {
    entry.workshop.createdAt = 0;
    delete entry.workshop.date;
    entry.rooms.forEach(resort);
    resort(entry.plenary);
    for (const snapshot of entry.snapshots ?? []) snapshot.rooms.forEach(resort);
  }
  return normalised;
}

type Spaces = {
  workshop: { createdAt: number; date?: string };
  rooms: { cards: { createdAt: number; id: string }[] }[];
  plenary?: { cards: { createdAt: number; id: string }[] };
  snapshots?: { rooms: { cards: { createdAt: number; id: string }[] }[] }[];
};

/** Every card of a record, rooms first then the plenary, with where it sits. */
export function recordCards(value: unknown): RecordCard[] {
  const record = value as {
    workshops: { rooms: { id: string; name: string; cards: RecordCard[] }[]; plenary?: { cards: RecordCard[] } }[];
  };
  return record.workshops.flatMap((w) => [
    ...w.rooms.flatMap((room) => room.cards.map((card) => ({ ...card, space: room.id }))),
    ...(w.plenary?.cards ?? []).map((card) => ({ ...card, space: 'plenary' }))
  ]);
}

export interface RecordCard {
  id: string;
  boardId: string;
  text: string;
  authorName: string;
  votes?: number;
  proxyVotes?: number;
  proxy?: boolean;
  sourceRoomId?: string;
  themeId?: string;
  /** The room id, or `plenary`. */
  space: string;
}
