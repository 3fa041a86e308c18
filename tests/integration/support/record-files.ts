/**
 * A workshop record (notes JSON, version 2) with what differs between two copies of the same
 * workshop replaced by stable names: workshop, room and board ids by position — wherever they
 * occur, plenary copies' `<roomId>-<cardId>` keys included — and the workshop's creation time
 * and date. Card ids, texts, authors, times, themes, votes and proxy marks stay as they are.
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
  for (const entry of normalised.workshops) {
    entry.workshop.createdAt = 0;
    delete entry.workshop.date;
  }
  return normalised;
}

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
