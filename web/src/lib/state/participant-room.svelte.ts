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
import { Announcer, NewCardNews, describeNewCards } from './announcer.svelte';
import { presenceColourFor } from '$lib/presence';
import { forgetAboutMe } from '$lib/about-me';
import { forgetParticipantSession, type ParticipantSession } from '$lib/storage';
import { CommandError, ControlChannel } from './control.svelte';
import { Drafts } from './drafts.svelte';
import { RoomSync, removeOfflineCopy, type ConnectionState, type RefusedAddition } from './room-sync.svelte';

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

/** The browser's copy of a document, kept per person: someone else joining on the same device starts clean. */
const offlineCopyName = (docName: string, session: ParticipantSession) => `goldthread:${docName}:${session.participantId}`;

/** The names of every offline copy a person's room page may keep in this browser. */
function offlineCopyNames(session: ParticipantSession): string[] {
  const { workshopId, roomId, participantId } = session;
  return [roomDocName(workshopId, roomId), privateDocName(workshopId, roomId, participantId), roomDocName(workshopId, PLENARY_ROOM_ID)].map(
    (docName) => offlineCopyName(docName, session)
  );
}

/** True once every board is closed: the workshop is over for this person. */
export function workshopEnded(state: ControlState | null): boolean {
  return !!state && state.boards.length > 0 && state.boards.every((board) => board.phase === 'closed');
}

/** How long a refusal from the server is matched to a card that vanished (the two travel on different channels). */
const REFUSAL_MATCH_MS = 8000;
/** The longest the documents wait for the control channel before connecting anyway. */
const HOLD_AT_MOST_MS = 4000;

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
  /** Plain-words news, read politely by screen readers one message at a time. */
  readonly announcer = new Announcer();
  /** The last refusal of a vote (or "I'm done") per board, shown next to its votes. */
  voteMessages = $state<Record<string, string>>({});
  /** A change the server did not accept, explained; shown until the next one or dismissed. */
  notice = $state<{ text: string; at: number } | null>(null);

  readonly #stopEffects: () => void;
  readonly #stopRefusals: () => void;
  readonly #newCards: NewCardNews;
  #announced: ControlState | null = null;
  /** The server's latest refusal, to explain a card that came back. */
  #lastRefusal: { message: string; at: number } | null = null;
  #documentsHeld = false;
  #releaseTimer: ReturnType<typeof setTimeout> | null = null;
  /** False on a shared computer, and once the workshop has ended: nothing is kept in this browser. */
  #keepsOffline: boolean;
  #destroyed = false;

  constructor(session: ParticipantSession, boards: Board[]) {
    this.session = session;
    this.#keepsOffline = !session.sharedComputer;
    this.boards = boards;
    this.user = {
      id: session.participantId,
      name: session.name,
      role: 'participant',
      color: presenceColourFor(session.participantId)
    };
    this.#newCards = new NewCardNews({
      say: (message) => this.announcer.say(message),
      describe: (boardId, count, authors) => describeNewCards(this.#title(boardId), count, authors)
    });
    this.sync = new RoomSync({
      workshopId: session.workshopId,
      roomId: session.roomId,
      token: session.token,
      user: this.user,
      keepOffline: this.#offlineName(roomDocName(session.workshopId, session.roomId)),
      // Connects once the control channel is there (see #holdDocuments).
      held: true,
      onRefused: (refused) => this.#refused(refused),
      onNewCards: (cards) => cards.forEach((card) => this.#newCards.add(card.boardId, card.authorName))
    });
    this.control = new ControlChannel(session.token);
    this.drafts = new Drafts(this.#keepsOffline ? `goldthread:drafts:${session.workshopId}:${session.participantId}` : null);
    this.#stopRefusals = this.control.onChangeRefused(({ message }) => this.#serverRefused(message));

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
      $effect(() => {
        if (workshopEnded(this.control.state)) untrack(() => void this.forgetOfflineCopies());
      });
      $effect(() => {
        const ready = this.control.connection === 'connected' || this.control.connection === 'refused';
        untrack(() => this.#holdDocuments(!ready));
      });
    });
  }

  /** How the room's connection looks now. */
  get connection(): ConnectionState {
    return this.sync.connection;
  }

  /** This person's changes still waiting for the connection, over every document they write to. */
  get unsent(): number {
    return this.sync.unsent + (this.privateSync?.unsent ?? 0) + (this.plenarySync?.unsent ?? 0);
  }

  /** Whether this person said "I'm done" with a board (the server remembers it across reloads). */
  isDone(boardId: string): boolean {
    return this.control.myDone.has(boardId);
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
      this.announcer.say(cast
        ? `Vote added to “${card.text}”. ${mine.left} ${mine.left === 1 ? 'vote' : 'votes'} left.`
        : `Vote taken back from “${card.text}”. ${mine.left} ${mine.left === 1 ? 'vote' : 'votes'} left.`);
    } catch (error) {
      this.voteMessages[boardId] = error instanceof CommandError ? error.message : 'Your vote could not be saved. Please try again.';
    }
  }

  async setDone(boardId: string, done: boolean): Promise<void> {
    try {
      await this.control.command('participant:done', { boardId, done });
      this.control.setDone(boardId, done);
      this.voteMessages[boardId] = '';
      const title = this.#title(boardId, 'this board');
      this.announcer.say(done ? `You told the facilitator you are done with ${title}.` : `You are no longer marked as done with ${title}.`);
    } catch (error) {
      this.voteMessages[boardId] = error instanceof CommandError ? error.message : 'That could not be saved. Please try again.';
    }
  }

  /**
   * Removes everything this browser keeps of the workshop's content: the offline copy of every
   * document and the drafts. The room stays open in memory. Done when the workshop ends.
   */
  async forgetOfflineCopies(): Promise<void> {
    this.#keepsOffline = false;
    this.drafts.clear();
    await Promise.all([this.sync, this.privateSync, this.plenarySync].map((sync) => sync?.dropOfflineCopy()));
    await Promise.all(offlineCopyNames(this.session).map(removeOfflineCopy));
  }

  /**
   * "Leave workshop": closes the room and removes everything this browser kept of it and of the
   * person — offline copies, drafts, the saved place, the remembered name and organisation.
   */
  async leave(): Promise<void> {
    this.destroy();
    this.drafts.clear();
    forgetParticipantSession(this.session.workshopId);
    forgetAboutMe();
    await Promise.all(offlineCopyNames(this.session).map(removeOfflineCopy));
  }

  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#stopEffects();
    this.#stopRefusals();
    if (this.#releaseTimer !== null) clearTimeout(this.#releaseTimer);
    this.#newCards.destroy();
    this.announcer.destroy();
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
        keepOffline: this.#offlineName(privateDocName(workshopId, roomId, participantId)),
        publishPresence: false,
        onRefused: (refused) => this.#refused(refused)
      });
      this.privateSync.hold(this.#documentsHeld);
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
        keepOffline: this.#offlineName(roomDocName(workshopId, PLENARY_ROOM_ID)),
        publishPresence: false,
        onRefused: (refused) => this.#refused(refused)
      });
      this.plenarySync.hold(this.#documentsHeld);
    }
  }

  /**
   * The server took back a card or theme this person had just added: a card's text goes back
   * into the board's box so nothing typed is lost, and the server's reason is shown. A private
   * card emptied by Reveal is not a refusal: it reappears in the room's document, which is
   * checked after a moment.
   */
  #refused(refused: RefusedAddition): void {
    setTimeout(() => {
      if (refused.kind === 'card' && this.sync.cards.some((card) => card.id === refused.id)) return;
      const recent = this.#lastRefusal && Date.now() - this.#lastRefusal.at < REFUSAL_MATCH_MS ? this.#lastRefusal.message : null;
      if (refused.kind === 'card') {
        const draft = this.drafts.addText(refused.boardId);
        if (!draft.includes(refused.text)) {
          this.drafts.setAddText(refused.boardId, draft.trim() ? `${draft}\n${refused.text}` : refused.text);
        }
        const why = recent ?? 'The board may have been locked or moved on.';
        this.#show(`Your card on ${this.#title(refused.boardId)} was not added. ${why} Its text is back in the box.`);
      } else {
        this.#show(`The theme “${refused.text}” was not added. ${recent ?? 'Themes can be made only while grouping.'}`);
      }
    }, 1500);
  }

  /** The server's own words for a refused change (a card vanishing is explained by #refused, which uses them). */
  #serverRefused(message: string): void {
    const at = Date.now();
    this.#lastRefusal = { message, at };
    // A card that vanished gets a fuller notice (its text is back in the box) from #refused;
    // any other refused change is explained in the server's words.
    setTimeout(() => {
      if (!this.notice || this.notice.at < at) this.#show(`Your last change was not saved. ${message}`);
    }, 1800);
  }

  #offlineName(docName: string): string | undefined {
    return this.#keepsOffline ? offlineCopyName(docName, this.session) : undefined;
  }

  #show(text: string): void {
    this.notice = { text, at: Date.now() };
  }

  #title(boardId: string, fallback = 'the board'): string {
    return this.boards.find((board) => board.id === boardId)?.title ?? fallback;
  }

  /**
   * Changes written offline go out when a document connects, and the server tells why it
   * refuses any of them over the control channel only to a participant connected there: so
   * documents wait for the channel (a few seconds at most, so a blocked channel never
   * keeps the room away).
   */
  #holdDocuments(held: boolean): void {
    if (this.#releaseTimer !== null) clearTimeout(this.#releaseTimer);
    this.#releaseTimer = null;
    this.#documentsHeld = held;
    for (const sync of [this.sync, this.privateSync, this.plenarySync]) sync?.hold(held);
    if (held) {
      this.#releaseTimer = setTimeout(() => {
        this.#documentsHeld = false;
        for (const sync of [this.sync, this.privateSync, this.plenarySync]) sync?.hold(false);
      }, HOLD_AT_MOST_MS);
    }
  }

  #announce(state: ControlState | null): void {
    if (!state) return;
    const messages = describeControlChanges(this.#announced, state, this.boards);
    this.#announced = state;
    for (const message of messages) this.announcer.say(message);
  }
}
