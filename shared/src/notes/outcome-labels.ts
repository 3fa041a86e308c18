import { ACTION_STATUS_LABELS } from '../protocol/outcomes.js';
import type { NotesActionEntry } from './document.js';

/** Headings of the decisions and actions, shared so every format reads alike. */
export const OUTCOME_TITLES = {
  decisions: 'Decisions',
  actions: 'Actions',
  onBoard: 'Decisions and actions on this board'
} as const;

/** Column headings of the actions table, in order (see `actionCells`). */
export const ACTION_COLUMNS = ['Action', 'Owner', 'Due', 'Status', 'Room', 'Relates to'] as const;
/** Column headings of the decisions table, in order (see `decisionCells`). */
export const DECISION_COLUMNS = ['Decision', 'Room', 'Relates to'] as const;

/** "Done", "Open (reviewed in Workshop 2)", or "Not recorded". */
export function actionStatusLabel(entry: NotesActionEntry): string {
  const status = entry.status ? ACTION_STATUS_LABELS[entry.status] : 'Not recorded';
  return entry.reviewedIn?.length ? `${status} (reviewed in ${entry.reviewedIn.join(', ')})` : status;
}

/** What it relates to: the card's text, the theme's name, the label kept when recorded, else the board; and where it was carried from. */
export function outcomeSubject(entry: NotesActionEntry): string {
  const subject = entry.cardText ?? entry.themeName ?? entry.subject ?? entry.boardTitle ?? '';
  if (!entry.carriedFrom) return subject;
  return subject ? `Carried forward from ${entry.carriedFrom}: ${subject}` : `Carried forward from ${entry.carriedFrom}`;
}

/** One row of the actions table: text, owner, due date, status, room, what it relates to. */
export function actionCells(entry: NotesActionEntry): string[] {
  return [entry.text, entry.owner ?? 'Not recorded', entry.dueLabel ?? '', actionStatusLabel(entry), entry.where, outcomeSubject(entry)];
}

/** One row of the decisions table: text, room, what it relates to. */
export function decisionCells(entry: NotesActionEntry): string[] {
  return [entry.text, entry.where, outcomeSubject(entry)];
}

/** "Decision: …", or "Action: … (owner: Housing team; due 31 January 2027; open)", for a list under a card or board. */
export function outcomeLabel(entry: NotesActionEntry): string {
  if (entry.kind === 'decision') return `Decision: ${entry.text}`;
  const facts = [entry.owner ? `owner: ${entry.owner}` : 'no owner recorded'];
  if (entry.dueLabel) facts.push(`due ${entry.dueLabel}`);
  if (entry.status) facts.push(actionStatusLabel(entry).toLocaleLowerCase('en-GB'));
  return `Action: ${entry.text} (${facts.join('; ')})`;
}
