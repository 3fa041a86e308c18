import { ACTION_STATUS_LABELS, PLENARY_ROOM_ID, type Board, type Outcome, type Room } from '@goldthread/shared';

const dueFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });

/** "31 January 2027" for `2027-01-31`. */
export function dueDateLabel(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  return dueFormat.format(new Date(Date.UTC(year, month - 1, day)));
}

/** The facts under an action: owner, due date and status ("Owner: Housing team · Due 31 January 2027 · Open"). */
export function actionFacts(outcome: Outcome): string[] {
  const facts = [outcome.owner ? `Owner: ${outcome.owner}` : 'No owner yet'];
  if (outcome.dueDate) facts.push(`Due ${dueDateLabel(outcome.dueDate)}`);
  if (outcome.status) facts.push(ACTION_STATUS_LABELS[outcome.status]);
  return facts;
}

/** What a decision or action is about, in words: "Card in North: Buses stop at six", "Barriers board", or null. */
export function outcomeAbout(outcome: Outcome, rooms: Room[], boards: Board[]): string | null {
  if (outcome.carriedFrom) {
    const subject = outcome.carriedFrom.subject ? `: ${outcome.carriedFrom.subject}` : '';
    return `Carried forward from ${outcome.carriedFrom.workshopTitle}${subject}`;
  }
  const link = outcome.link;
  if (!link) return null;
  const room =
    link.roomId === undefined ? null : link.roomId === PLENARY_ROOM_ID ? 'the plenary' : (rooms.find((r) => r.id === link.roomId)?.name ?? 'a room');
  const board = boards.find((b) => b.id === link.boardId)?.title;
  if (link.cardId) return `Card in ${room}: ${link.label ?? ''}`;
  if (link.themeId) return `Theme in ${room}: ${link.label ?? ''}`;
  if (board) return room ? `${board} board, ${room}` : `${board} board`;
  return `Room: ${room}`;
}
