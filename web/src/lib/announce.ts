import { PHASE_LABELS, type Board, type ControlState } from '@goldthread/shared';

/**
 * What changed between two copies of the control state, in plain words for a participant's
 * screen reader (read politely; focus never moves). Empty when nothing worth saying changed.
 */
export function describeControlChanges(before: ControlState | null, after: ControlState, boards: Board[]): string[] {
  if (!before) return [];
  const title = (boardId: string | null) => boards.find((board) => board.id === boardId)?.title ?? 'A board';
  const messages: string[] = [];
  for (const board of after.boards) {
    const old = before.boards.find((b) => b.boardId === board.boardId);
    if (!old) continue;
    const name = title(board.boardId);
    if (old.phase !== board.phase) messages.push(`${name} is now: ${PHASE_LABELS[board.phase]}.`);
    if (old.locked !== board.locked) messages.push(board.locked ? `${name} is locked by the facilitator.` : `${name} is unlocked.`);
    if (!old.private && board.private) messages.push(`${name} is now a private brainstorm: only you and the facilitator see your cards.`);
    if (old.private && !old.revealed && board.revealed) messages.push(`Everyone's cards on ${name} are now shared.`);
    if (!old.resultsShown && board.resultsShown) messages.push(`The vote results for ${name} are shown.`);
  }
  if (after.focusBoardId !== null && after.focusBoardId !== before.focusBoardId) {
    messages.push(`The facilitator is bringing everyone to ${title(after.focusBoardId)}.`);
  }
  if (after.timer.running && !before.timer.running) messages.push('The timer has started.');
  if (after.timer.endedCount > before.timer.endedCount) messages.push('Time is up.');
  return messages;
}
