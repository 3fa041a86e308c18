import type { Outcome } from '../protocol/outcomes.js';
import type { NotesActionInput } from './model.js';

/** The workshop's recorded decisions and actions as the notes model's input. */
export function notesActionsOf(outcomes: Outcome[]): NotesActionInput[] {
  return outcomes.map((outcome) => {
    const entry: NotesActionInput = { id: outcome.id, kind: outcome.kind, text: outcome.text };
    if (outcome.owner) entry.owner = outcome.owner;
    if (outcome.dueDate) entry.dueDate = outcome.dueDate;
    if (outcome.status) entry.status = outcome.status;
    const link = outcome.link;
    if (link) {
      if (link.roomId) entry.roomId = link.roomId;
      if (link.boardId) entry.boardId = link.boardId;
      if (link.cardId) entry.cardId = link.cardId;
      if (link.themeId) entry.themeId = link.themeId;
      if (link.label) entry.subject = link.label;
    }
    const carried = outcome.carriedFrom;
    if (carried) {
      entry.carriedFrom = { workshopId: carried.workshopId, workshopTitle: carried.workshopTitle, actionId: carried.outcomeId };
      if (carried.subject && !entry.subject) entry.subject = carried.subject;
    }
    return entry;
  });
}

/**
 * Series notes: an action carried forward into a later workshop of the series is listed once,
 * under the workshop where it was agreed, with the status it was given at its latest review.
 * Inputs are in date order; copies are returned, the inputs are left as they are.
 */
export function settleCarriedActions<T extends { workshop: { id: string; title: string }; actions?: NotesActionInput[] }>(inputs: T[]): T[] {
  const settled = inputs.map((input) => (input.actions ? { ...input, actions: input.actions.map((a) => ({ ...a })) } : input));
  const byKey = new Map<string, NotesActionInput>();
  for (const input of settled) {
    if (!input.actions) continue;
    const kept: NotesActionInput[] = [];
    for (const action of input.actions) {
      const from = action.carriedFrom;
      const origin = from && byKey.get(`${from.workshopId}/${from.actionId}`);
      if (origin) {
        if (action.status) origin.status = action.status;
        origin.reviewedIn = [...(origin.reviewedIn ?? []), input.workshop.title];
        if (action.id) byKey.set(`${input.workshop.id}/${action.id}`, origin);
        continue;
      }
      if (action.id) byKey.set(`${input.workshop.id}/${action.id}`, action);
      kept.push(action);
    }
    input.actions = kept;
  }
  return settled;
}
