import { untrack } from 'svelte';
import {
  PLENARY_ROOM_ID,
  cardsMap,
  privateDocName,
  roomDocName,
  type Board,
  type BoardControl,
  type CardColor,
  type CardView,
  type ControlState,
  type MyVotes,
  type PresenceUser
} from '@goldthread/shared';
import { describeControlChanges } from '$lib/announce';
import { presenceColourFor } from '$lib/presence';
import type { ParticipantSession } from '$lib/storage';
import { CommandError, ControlChannel } from './control.svelte';
import { Drafts } from './drafts.svelte';
import { RoomSync, type RefusedAddition } from './room-sync.svelte';

/** Why a participant cannot add or change cards on a board right now, in plain words; null when they can. */
export function frozenReason(control: BoardControl | undefined): string | null {
  if (!control) return null;
  if (control.locked) return 'The facilitator has locked this board. You can read the cards, but not add or change them for now.';
  if (control.phase === 'vote') return 'Voting is on: cards cannot be added or changed now.';
  if (control.phase === 'closed') return 'This board is closed: cards cannot be added or changed.';
  return null;
}

/** True while a board's new cards go to each participant's private document. */
export function isPrivateNow(control: BoardControl | undefined): boolean {
  return !!control && control.private && !control.revealed;
}

/** Phases in which the plenary board can matter to a participant. */
const PLENARY_PHASES = new Set(['group', 'vote', 'discuss', 'closed']);

const doneKey = (session: ParticipantSession) => `goldthread:done:${session.workshopId}:${session.participantId}`;

/**
 * Everything a participant's room page keeps live: the room's document, their private
 * brainstorm document while a board needs it, the plenary document once boards are combined,
 * the control channel, unsent drafts, and what to announce.
 */
export class ParticipantRoom {
  readonly session: ParticipantSession;
  readonly boards: Board[];
  readonly user: PresenceUser;
  readonly sync: RoomSync;
  readonly control: ControlChannel;
  readonly drafts: Drafts;

  /** The participant's private document, open while any board is private and not revealed. */
  privateSync = $state.raw<RoomSync | null>(null);
  /** The plenary board's document, open once boards can have been combined. */
  plenarySync = $state.raw<RoomSync | null>(null);
  /** The latest plain-words news, read politely by screen readers. */
  announcement = $state('');
  /** The last refusal of a vote (or "I'm done") per board, shown next to its votes. */
  voteMessages = $state<Record<string, string>>({});
  /** Boards on which this participant said "I'm done". */
  done = $state<Record<string, boolean>>({});
  /** A change the server did not accept, explained; shown until the next one. */
  notice = $state<{ text: string; at: number } | null>(null);

  readonly #stopEffects: () => void;
  #announced: ControlState | null = null;

  constructor(session: ParticipantSession, boards: Board[]) {
    this.session = session;
    this.boards = boards;
    this.user = {
      id: session.participantId,
      name: session.name,
      role: 'participant',
      color: presenceColourFor(session.participantId)
    };
    this.sync = new RoomSync({
      workshopId: session.workshopId,
      roomId: session.roomId,
      token: session.token,
      user: this.user,
      onRefused: (refused) => this.#refused(refused)
    });
    this.control = new ControlChannel(session.token);
    this.drafts = new Drafts(`goldthread:drafts:${session.workshopId}:${session.participantId}`);
    this.done = this.#loadDone();

    this.#stopEffects = $effect.root(() => {
      $effect(() => {
        const needed = this.needsPrivate;
        untrack(() => this.#keepPrivateDocument(needed));
      });
      $effect(() => {
        const needed = this.needsPlenary;
        untrack(() => this.#keepPlenaryDocument(needed));
      });
      $effect(() => {
        const state = this.control.state;
        untrack(() => this.#announce(state));
      });
    });
  }

  /** Whether any board is in private brainstorm now. */
  get needsPrivate(): boolean {
    return this.control.state?.boards.some(isPrivateNow) ?? false;
  }

  get needsPlenary(): boolean {
    return this.control.state?.boards.some((board) => PLENARY_PHASES.has(board.phase)) ?? false;
  }

  boardControl(boardId: string): BoardControl | undefined {
    return this.control.board(boardId);
  }

  /** Where this participant's new cards for a board go now. */
  writeTarget(boardId: string): RoomSync {
    return isPrivateNow(this.boardControl(boardId)) && this.privateSync ? this.privateSync : this.sync;
  }

  /** This participant's private cards on a board (before Reveal). */
  privateCardsOn(boardId: string): CardView[] {
    if (!isPrivateNow(this.boardControl(boardId))) return [];
    return this.privateSync?.cardsOn(boardId) ?? [];
  }

  /** The document a card of this participant lives in. */
  syncOf(card: CardView): RoomSync {
    return this.privateSync && cardsMap(this.privateSync.doc).has(card.id) ? this.privateSync : this.sync;
  }

  add(boardId: string, text: string, colour: CardColor): void {
    this.writeTarget(boardId).add(boardId, text, colour);
    this.drafts.setAddText(boardId, '');
  }

  edit(card: CardView, text: string): void {
    this.syncOf(card).edit(card.id, text);
  }

  remove(card: CardView): void {
    this.syncOf(card).remove(card.id);
  }

  myVotes(boardId: string): MyVotes {
    const budget = this.control.state?.voting.budget ?? 0;
    return this.control.myVotes[boardId] ?? { boardId, budget, used: 0, left: budget, cards: {} };
  }

  /** Places (or takes back) one dot; a refusal is kept to show next to the board's votes. */
  async vote(boardId: string, roomId: string, card: CardView, cast: boolean): Promise<void> {
    try {
      const mine = await this.control.command(cast ? 'vote:cast' : 'vote:retract', { boardId, roomId, cardId: card.id });
      this.control.myVotes = { ...this.control.myVotes, [boardId]: mine };
      this.voteMessages[boardId] = '';
      this.announcement = cast
        ? `Vote added to “${card.text}”. ${mine.left} ${mine.left === 1 ? 'vote' : 'votes'} left.`
        : `Vote taken back from “${card.text}”. ${mine.left} ${mine.left === 1 ? 'vote' : 'votes'} left.`;
    } catch (error) {
      this.voteMessages[boardId] = error instanceof CommandError ? error.message : 'Your vote could not be saved. Please try again.';
    }
  }

  async setDone(boardId: string, done: boolean): Promise<void> {
    try {
      await this.control.command('participant:done', { boardId, done });
      this.done[boardId] = done;
      this.#saveDone();
      const title = this.boards.find((board) => board.id === boardId)?.title ?? 'this board';
      this.announcement = done ? `You told the facilitator you are done with ${title}.` : `You are no longer marked as done with ${title}.`;
    } catch (error) {
      this.voteMessages[boardId] = error instanceof CommandError ? error.message : 'That could not be saved. Please try again.';
    }
  }

  destroy(): void {
    this.#stopEffects();
    this.privateSync?.destroy();
    this.plenarySync?.destroy();
    this.sync.destroy();
    this.control.destroy();
  }

  #keepPrivateDocument(needed: boolean): void {
    if (needed && !this.privateSync) {
      const { workshopId, roomId, participantId, token } = this.session;
      this.privateSync = new RoomSync({
        workshopId,
        roomId,
        token,
        user: this.user,
        docName: privateDocName(workshopId, roomId, participantId),
        publishPresence: false,
        onRefused: (refused) => this.#refused(refused)
      });
    } else if (!needed && this.privateSync) {
      this.privateSync.destroy();
      this.privateSync = null;
    }
  }

  #keepPlenaryDocument(needed: boolean): void {
    if (needed && !this.plenarySync) {
      const { workshopId, token } = this.session;
      this.plenarySync = new RoomSync({
        workshopId,
        roomId: PLENARY_ROOM_ID,
        token,
        user: this.user,
        docName: roomDocName(workshopId, PLENARY_ROOM_ID),
        publishPresence: false
      });
    }
  }

  /**
   * The server took back a card (e.g. the board was locked as it was sent): its text goes back
   * into the board's box so nothing typed is lost. A private card emptied by Reveal is not a
   * refusal: it reappears in the room's document, which is checked after a moment.
   */
  #refused(refused: RefusedAddition): void {
    setTimeout(() => {
      if (refused.kind === 'card' && this.sync.cards.some((card) => card.id === refused.id)) return;
      const title = this.boards.find((board) => board.id === refused.boardId)?.title ?? 'the board';
      if (refused.kind === 'card') {
        const draft = this.drafts.addText(refused.boardId);
        this.drafts.setAddText(refused.boardId, draft.trim() ? `${draft}\n${refused.text}` : refused.text);
        this.notice = {
          text: `Your card on ${title} was not added: the board may have been locked or moved on. Its text is back in the box.`,
          at: Date.now()
        };
      } else {
        this.notice = { text: `The theme “${refused.text}” was not added: themes can be made only while grouping.`, at: Date.now() };
      }
    }, 1500);
  }

  #announce(state: ControlState | null): void {
    if (!state) return;
    const messages = describeControlChanges(this.#announced, state, this.boards);
    this.#announced = state;
    if (messages.length > 0) this.announcement = messages.join(' ');
  }

  #loadDone(): Record<string, boolean> {
    try {
      const parsed: unknown = JSON.parse(localStorage.getItem(doneKey(this.session)) ?? '{}');
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, boolean>) : {};
    } catch {
      return {};
    }
  }

  #saveDone(): void {
    try {
      localStorage.setItem(doneKey(this.session), JSON.stringify(this.done));
    } catch {
      // Storage blocked: the server still knows; only this page's button may forget after a reload.
    }
  }
}
