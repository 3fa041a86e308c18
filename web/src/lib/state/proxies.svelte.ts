import {
  addCard,
  privateDocName,
  type BoardControl,
  type CardColor,
  type CardView,
  type MyVotes,
  type PresenceUser,
  type Sector
} from '@goldthread/shared';
import { addProxy } from '$lib/facilitator-api';
import { loadProxies, saveProxies, type RememberedProxy } from '$lib/console-storage';
import { CommandError, type ControlChannel } from './control.svelte';
import { RoomSync } from './room-sync.svelte';
import type { Feedback, WatchedRoom } from './facilitator-console.svelte';

export type ProxyPerson = RememberedProxy;

export interface ProxyPeopleOptions {
  workshopId: string;
  /** The facilitator session token. */
  token: string;
  /** The facilitator's presence, for the private documents opened on a proxy's behalf. */
  user: PresenceUser;
  rooms: () => WatchedRoom[];
  control: () => ControlChannel | null;
  report: (feedback: Feedback) => void;
}

/**
 * People taking part without a device, whose cards and votes the facilitator enters. The
 * server records them (for attendance and votes) but does not list them, so the console keeps
 * the list in this browser and adds anyone it finds as the author of a proxy card.
 */
export class ProxyPeople {
  #remembered = $state.raw<ProxyPerson[]>([]);
  /** Each proxy's dots as the server last answered, by participant then board. */
  votes = $state.raw<Record<string, Record<string, MyVotes>>>({});
  busy = $state<Record<string, boolean>>({});

  readonly #options: ProxyPeopleOptions;
  /** Private brainstorm documents opened to write a proxy's cards, by document name. */
  readonly #privateDocs = new Map<string, RoomSync>();

  constructor(options: ProxyPeopleOptions) {
    this.#options = options;
    this.#remembered = loadProxies(options.workshopId);
  }

  /** Everyone added from this browser, plus the authors of proxy cards on the boards. */
  get list(): ProxyPerson[] {
    const people = new Map(this.#remembered.map((person) => [person.participantId, person]));
    for (const { room, sync } of this.#options.rooms()) {
      for (const card of sync.cards) {
        if (card.proxy && card.authorId && !people.has(card.authorId)) {
          people.set(card.authorId, { participantId: card.authorId, name: card.authorName, roomId: room.id });
        }
      }
    }
    return [...people.values()];
  }

  /** Records someone without a device; resolves to them, or null when refused (the reason is reported). */
  async add(name: string, roomId: string, sector: Sector | undefined): Promise<ProxyPerson | null> {
    const { workshopId, token, report } = this.#options;
    this.busy.add = true;
    try {
      const added = await addProxy(workshopId, token, { name, roomId, ...(sector && { sector }) });
      if (!added.ok) {
        report({ kind: 'problem', text: added.error.message });
        return null;
      }
      const person: ProxyPerson = { ...added.data, ...(sector && { sector }) };
      this.#remembered = [...this.#remembered.filter((p) => p.participantId !== person.participantId), person];
      saveProxies(workshopId, this.#remembered);
      report({ kind: 'done', text: `${person.name} added. You can now add cards and votes for them.` });
      return person;
    } finally {
      this.busy.add = false;
    }
  }

  /**
   * Writes a card in the person's name into their room, marked as entered by the facilitator.
   * While the board is a private brainstorm it goes to their private space, like anyone's.
   */
  addCard(person: ProxyPerson, boardId: string, boardTitle: string, text: string, color: CardColor): boolean {
    const watched = this.#options.rooms().find(({ room }) => room.id === person.roomId);
    if (!watched) {
      this.#options.report({ kind: 'problem', text: `${person.name}'s room is not part of this workshop.` });
      return false;
    }
    const board = this.#options.control()?.board(boardId);
    const sync = isPrivateNow(board) ? this.#privateDoc(person) : watched.sync;
    addCard(sync.doc, { boardId, text, color, authorId: person.participantId, authorName: person.name, proxy: true });
    this.#options.report({
      kind: 'done',
      text: isPrivateNow(board)
        ? `Card added privately for ${person.name} on ${boardTitle}; it is shared at Reveal.`
        : `Card added for ${person.name} on ${boardTitle} in ${watched.room.name}.`
    });
    return true;
  }

  /** Casts or takes back one of the person's dots (vote phase only; the server checks budget and cap). */
  async vote(person: ProxyPerson, boardId: string, roomId: string, card: CardView, cast: boolean): Promise<void> {
    const control = this.#options.control();
    if (!control) return;
    const key = `vote:${person.participantId}`;
    this.busy[key] = true;
    try {
      const payload = { boardId, roomId, cardId: card.id, onBehalfOf: person.participantId };
      const mine = await control.command(cast ? 'vote:cast' : 'vote:retract', payload);
      this.votes = { ...this.votes, [person.participantId]: { ...this.votes[person.participantId], [boardId]: mine } };
      this.#options.report({
        kind: 'done',
        text: `${cast ? 'Vote cast' : 'Vote taken back'} for ${person.name}: ${mine.left} of ${mine.budget} left.`
      });
    } catch (error) {
      this.#options.report({
        kind: 'problem',
        text: error instanceof CommandError ? error.message : 'That did not work. Please try again.'
      });
    } finally {
      this.busy[key] = false;
    }
  }

  /** The person's dots on a board, once known in this session. */
  votesOn(person: ProxyPerson, boardId: string): MyVotes | undefined {
    return this.votes[person.participantId]?.[boardId];
  }

  destroy(): void {
    for (const sync of this.#privateDocs.values()) sync.destroy();
    this.#privateDocs.clear();
  }

  #privateDoc(person: ProxyPerson): RoomSync {
    const { workshopId, token, user } = this.#options;
    const docName = privateDocName(workshopId, person.roomId, person.participantId);
    let sync = this.#privateDocs.get(docName);
    if (!sync) {
      sync = new RoomSync({ workshopId, roomId: person.roomId, token, user, docName, publishPresence: false });
      this.#privateDocs.set(docName, sync);
    }
    return sync;
  }
}

const isPrivateNow = (board: BoardControl | undefined) => !!board && board.private && !board.revealed;
