import { newId, OUTCOME_LIMITS, type ActionStatus, type CarriedFrom, type Outcome, type OutcomeKind, type OutcomeLink } from '@goldthread/shared';
import { AppError } from '../errors.js';

/** What the facilitator sends to record a decision or an action (already validated). */
export interface OutcomeInput {
  kind: OutcomeKind;
  text: string;
  owner?: string | undefined;
  dueDate?: string | undefined;
  status?: ActionStatus | undefined;
}

/** A change to an outcome; `null` clears the owner or due date. */
export interface OutcomePatch {
  text?: string | undefined;
  owner?: string | null | undefined;
  dueDate?: string | null | undefined;
  status?: ActionStatus | undefined;
}

/**
 * A workshop's decisions and actions, kept inside its saved control state. Each method checks
 * everything before changing anything, then reports the change so the state is saved.
 */
export class OutcomeRecord {
  readonly #list: Outcome[];
  readonly #now: () => number;
  readonly #changed: () => void;

  constructor(list: Outcome[], now: () => number, changed: () => void) {
    this.#list = list;
    this.#now = now;
    this.#changed = changed;
  }

  /** Every outcome, oldest first (a copy). */
  list(): Outcome[] {
    return structuredClone(this.#list);
  }

  /** Records a decision or action; an action starts open unless told otherwise. */
  add(input: OutcomeInput, link: OutcomeLink | null, carriedFrom?: CarriedFrom): Outcome {
    this.#roomFor(1);
    const now = this.#now();
    const outcome: Outcome = { id: newId(12), kind: input.kind, text: input.text, link, createdAt: now, updatedAt: now };
    if (input.kind === 'decision') {
      if (input.owner !== undefined || input.dueDate !== undefined || input.status !== undefined) {
        throw new AppError('validation_failed', 'A decision has no owner, due date or status; record an action for that.');
      }
    } else {
      if (input.owner) outcome.owner = input.owner;
      if (input.dueDate) outcome.dueDate = input.dueDate;
      outcome.status = input.status ?? 'open';
    }
    if (carriedFrom) outcome.carriedFrom = carriedFrom;
    this.#list.push(outcome);
    this.#changed();
    return structuredClone(outcome);
  }

  /** Changes an outcome's text, owner, due date or status. */
  update(id: string, patch: OutcomePatch): Outcome {
    const outcome = this.#require(id);
    const actionOnly = patch.owner !== undefined || patch.dueDate !== undefined || patch.status !== undefined;
    if (outcome.kind === 'decision' && actionOnly) {
      throw new AppError('validation_failed', 'A decision has no owner, due date or status.');
    }
    if (patch.text !== undefined) outcome.text = patch.text;
    if (patch.owner === null || patch.owner === '') delete outcome.owner;
    else if (patch.owner !== undefined) outcome.owner = patch.owner;
    if (patch.dueDate === null) delete outcome.dueDate;
    else if (patch.dueDate !== undefined) outcome.dueDate = patch.dueDate;
    if (patch.status !== undefined) outcome.status = patch.status;
    outcome.updatedAt = this.#now();
    this.#changed();
    return structuredClone(outcome);
  }

  remove(id: string): void {
    this.#require(id);
    this.#list.splice(
      this.#list.findIndex((outcome) => outcome.id === id),
      1
    );
    this.#changed();
  }

  /**
   * Brings in an earlier workshop's open actions, as carried-forward actions without links
   * (their cards live in the other workshop). An action already carried is not copied twice.
   */
  carry(from: { workshopId: string; workshopTitle: string }, earlier: Outcome[]): Outcome[] {
    const already = new Set(
      this.#list.filter((o) => o.carriedFrom?.workshopId === from.workshopId).map((o) => o.carriedFrom!.outcomeId)
    );
    const open = earlier.filter((o) => o.kind === 'action' && o.status === 'open' && !already.has(o.id));
    this.#roomFor(open.length);
    const carried = open.map((action) => {
      const subject = action.link?.label ?? action.carriedFrom?.subject;
      return this.add(
        { kind: 'action', text: action.text, owner: action.owner, dueDate: action.dueDate, status: 'open' },
        null,
        { ...from, outcomeId: action.id, ...(subject !== undefined && { subject }) }
      );
    });
    return carried;
  }

  #require(id: string): Outcome {
    const outcome = this.#list.find((o) => o.id === id);
    if (!outcome) throw new AppError('not_found', 'No decision or action of this workshop has that id.');
    return outcome;
  }

  #roomFor(count: number): void {
    if (this.#list.length + count > OUTCOME_LIMITS.perWorkshop) {
      throw new AppError('conflict', `A workshop keeps at most ${OUTCOME_LIMITS.perWorkshop} decisions and actions.`);
    }
  }
}
