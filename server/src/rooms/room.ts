import * as Y from 'yjs';
import { Awareness, removeAwarenessStates } from 'y-protocols/awareness';
import { CARD_LIMITS, CLIENT_OWNERS_KEY, LIMITS, PRESENCE_LIMITS, SERVER_CLIENT_OWNER, cardsMap, readCards, roomDocName, themesMap } from '@goldthread/shared';
import { SaveScheduler } from './save-scheduler.js';
import type { RoomSnapshot } from '../store/types.js';
import type { RoomJournal } from '../store/journal.js';
import { summariseTransaction, type TransactionSummary } from './transaction-summary.js';
import { TrialCopy } from './trial-copy.js';
import type { CardCorrection, ChangeUnderReview, DocKind, KnownCard, Refusal, Writer } from './write-rules.js';
import type { BoardControl } from '@goldthread/shared';
import type { Logger } from '../logger.js';

/** A connected client of a room, as the room sees it. */
export interface RoomPeer extends Writer {
  send(message: Uint8Array): void;
  /** Tells this connection alone that its change was refused (and withdrawn). */
  refused?(refusal: Refusal): void;
}

/** Thrown when applying an update would grow the document past its limit; nothing is applied. */
export class RoomFullError extends Error {}

/** Thrown for an update that depends on changes the room does not have; its waiting parts are dropped. */
export class MissingDependencyError extends Error {}

/** Thrown, before anything is applied, for an update written under another person's Yjs client id. */
export class ForeignClientError extends Error {}

/** Judges a peer's change to the document, tried on a copy; a refused change never reaches the live one. */
export type RoomRules = (change: ChangeUnderReview) => Refusal | null;

/** Origin of the saved state applied when a room loads: already saved, so not a change. */
const LOAD_ORIGIN = Symbol('goldthread-load');
/** Origin of the server's own record of who owns which client id. */
const CLAIM_ORIGIN = Symbol('goldthread-claim');
/** Origin of journal records replayed at load: already journaled, but not yet in a snapshot. */
const REPLAY_ORIGIN = Symbol('goldthread-replay');
/** Origin of a refused update's withdrawal (its ids without content, and what it deleted put back). */
const WITHDRAWAL_ORIGIN = Symbol('goldthread-withdrawal');
/**
 * Presence (cursors, "is typing") is sent on at most this often per room, all changes since the
 * last send in one message: 300 people moving at 2 Hz then cost 10 messages a second to each
 * person instead of 600. A lone change still goes out on the next tick.
 */
const PRESENCE_BATCH_MS = 100;
/** The longest a claim waits for an edit to ride along with before it is sent alone. */
const CLAIMS_WAIT_MS = 1000;

export interface RoomOptions {
  workshopId: string;
  roomId: string;
  save: (snapshot: RoomSnapshot) => Promise<void>;
  saveQuietMs: number;
  saveMaxMs: number;
  /** Where every change is appended before it counts as durable; null runs without one. */
  journal: RoomJournal | null;
  /** The rules peers' changes must keep; without rules every change is accepted. */
  rules: RoomRules | null;
  kind?: DocKind;
  /** Called after every change is published. */
  onChange?: () => void;
  /** Called when a peer's change was refused (and withdrawn), to tell that person why. */
  onRefusal?: (peer: RoomPeer, refusal: Refusal) => void;
  /** Largest the encoded document may grow; defaults to LIMITS.roomDocumentBytes. */
  maxBytes?: number;
  logger: Logger;
  /** Encodes a document update as a wire message (kept out of the room so it stays protocol-free). */
  encodeUpdate: (update: Uint8Array) => Uint8Array;
  encodeAwareness: (awareness: Awareness, clients: number[]) => Uint8Array;
}

/**
 * One room's live Yjs document: its peers, its awareness, and the saving of its state.
 * Updates from one peer reach every other peer; the room saves itself after changes.
 */
export class Room {
  readonly workshopId: string;
  readonly roomId: string;
  readonly doc = new Y.Doc();
  readonly awareness: Awareness;
  /** Each peer, with the awareness client ids it has published. */
  readonly peers = new Map<RoomPeer, Set<number>>();
  /** Claims not yet sent to the peers (see `#holdClaims`). */
  #heldClaims: Uint8Array[] = [];
  #claimsTimer: NodeJS.Timeout | null = null;
  /** Which connection published each presence client id. */
  readonly #presenceOwners = new Map<number, RoomPeer>();
  /** Presence changes waiting to be sent (see PRESENCE_BATCH_MS). */
  readonly #presenceChanged = new Set<number>();
  #presenceTimer: NodeJS.Timeout | null = null;
  #presenceSentAt = -Infinity;
  /**
   * Bytes presence may still send to this room's connections together (message size × recipients),
   * refilled at PRESENCE_LIMITS.roomBytesPerSecond. When it runs dry, presence waits and the changes
   * meanwhile merge (the latest state wins), so however many clients publish within their own
   * limits, the room's presence traffic stays bounded.
   */
  #presenceBudget: number = PRESENCE_LIMITS.roomBurstBytes;
  #presenceBudgetAt = performance.now();
  /** Open connections per participant, kept with `peers` so a head-count costs nothing during a join storm. */
  readonly #connectionsOf = new Map<string, number>();
  /** What kind of document this is: a room's board, the plenary, or someone's private space. */
  readonly kind: DocKind;
  /** The facilitator's state of each board (phase, lock, private), which the rules consult. */
  readonly #boards = new Map<string, BoardControl>();
  readonly #scheduler: SaveScheduler;
  readonly #options: RoomOptions;
  /** Board and author of every card, to judge changes that delete a card. */
  readonly #known = new Map<string, KnownCard>();
  /** Board of every theme. */
  readonly #knownThemes = new Map<string, string>();
  /** The copy each peer's update is judged on before the live document sees it (see TrialCopy). */
  readonly #trial: TrialCopy;
  /** The rules' verdict on the update being tried, with what it touched. */
  #verdict: { summary: TransactionSummary; refusal: Refusal | null } | null = null;
  /** Fields the rules want the server to set once the update being tried is applied. */
  #corrections: CardCorrection[] = [];
  /** Set while trying an update from a participant who has already added their share of the document. */
  #overBudget: Refusal | null = null;
  /** Bytes of accepted updates per participant since the room loaded (see CARD_LIMITS.participantRoomBytes). */
  readonly #bytesOf = new Map<string, number>();
  /** The whole document encoded, kept until the next change: every client that joins empty needs exactly this. */
  #fullState: Uint8Array | null = null;
  /** Whether this process's client id is in the owners map yet (see `#recordServerClient`). */
  #serverClientRecorded = false;
  /** Estimated encoded size: exact at load and save, plus every update applied since. */
  #approximateBytes = 0;
  readonly #maxBytes: number;

  constructor(options: RoomOptions) {
    this.#options = options;
    this.#maxBytes = options.maxBytes ?? LIMITS.roomDocumentBytes;
    this.workshopId = options.workshopId;
    this.roomId = options.roomId;
    this.kind = options.kind ?? { kind: 'room' };
    this.awareness = new Awareness(this.doc);
    this.awareness.setLocalState(null);
    this.#scheduler = new SaveScheduler(() => this.#save(), {
      quietMs: options.saveQuietMs,
      maxMs: options.saveMaxMs,
      onError: (error) => options.logger.error(`saving room ${this.name} failed; will retry on the next change`, error)
    });
    this.#trial = new TrialCopy(this.doc);
    this.#trial.doc.on('afterTransaction', this.#judge);
    this.doc.on('update', this.#onUpdate);
    this.awareness.on('update', this.#onAwareness);
  }

  /**
   * Applies an update a peer sent, if the rules accept it. It is tried on a copy first: an
   * accepted update then goes to the live document (and the other peers) as sent; a refused one
   * never does — the live document and every peer receive only its withdrawal (its ids without
   * content, and whatever it deleted put back), which also puts the sender's own copy right, and
   * the sender alone is told why. Returns the refusal, if any. Throws (after withdrawing whatever
   * part of it was tried) for an update that cannot be decoded, or that depends on changes this
   * document does not have.
   */
  applyFromPeer(update: Uint8Array, peer: RoomPeer): Refusal | null {
    if (this.#approximateBytes + update.length > this.#maxBytes) {
      throw new RoomFullError('This room’s boards are full; no more can be added.');
    }
    const clients = [...Y.parseUpdateMeta(update).from.keys()];
    this.#requireOwnClients(clients, peer);
    this.#verdict = null;
    this.#corrections = [];
    const written = peer.participantId !== null && peer.role === 'participant' ? (this.#bytesOf.get(peer.participantId) ?? 0) : 0;
    this.#overBudget =
      written + update.length > CARD_LIMITS.participantRoomBytes
        ? { code: 'payload_too_large', message: 'You have added as much to this room as one person can.' }
        : null;
    let failure: unknown = null;
    try {
      // Yjs integrates an update's structs before reading its delete set, so a cut update can
      // throw after part of it went in: that part is on the copy only, and withdrawn below.
      Y.applyUpdate(this.#trial.doc, update, peer);
    } catch (error) {
      failure = error;
    }
    const verdict = this.#verdict as { summary: TransactionSummary; refusal: Refusal | null } | null;
    const corrections = this.#corrections;
    this.#verdict = null;
    this.#corrections = [];
    this.#overBudget = null;
    // Structs waiting for a missing dependency would later integrate inside someone else's
    // transaction and be judged as theirs: they are dropped, and the peer must resync.
    const store = this.#trial.doc.store;
    if (store.pendingStructs !== null || store.pendingDs !== null) {
      failure ??= new MissingDependencyError('This change depends on others the server does not have; reconnecting to resync.');
    }
    const refusal = verdict?.refusal ?? null;
    if (refusal || failure) {
      const withdrawal = this.#trial.withdraw(verdict?.summary ?? null);
      Y.applyUpdate(this.doc, withdrawal, WITHDRAWAL_ORIGIN);
      if (refusal) {
        peer.refused?.(refusal);
        this.#options.onRefusal?.(peer, refusal);
      }
      if (failure) throw failure;
      return refusal;
    }
    Y.applyUpdate(this.doc, update, peer);
    if (peer.participantId !== null && peer.role === 'participant') this.#bytesOf.set(peer.participantId, written + update.length);
    this.#claimClients(clients, peer);
    if (corrections.length > 0) this.#correct(corrections);
    return null;
  }

  /** Sets the fields the server decides on cards just accepted (a server change, sent to everyone). */
  #correct(corrections: CardCorrection[]): void {
    const cards = cardsMap(this.doc);
    this.doc.transact(() => {
      for (const { cardId, field, value } of corrections) cards.get(cardId)?.set(field, value);
    });
  }

  /**
   * Yjs ids (client, clock) are public, and a struct written under someone else's client id would
   * take the id their own next edit needs. Participants may write only under ids that are theirs
   * or nobody's yet.
   */
  #requireOwnClients(clients: number[], peer: RoomPeer): void {
    if (peer.role !== 'participant') return;
    const owners = this.doc.getMap<string>(CLIENT_OWNERS_KEY);
    for (const client of clients) {
      // The server's own changes (claims, reverts) are written under its id: nobody else may write as it,
      // nor as an earlier process of it (recorded in the owners map as the server's).
      const owner = owners.get(String(client));
      if (client === this.doc.clientID || owner === SERVER_CLIENT_OWNER) {
        throw new ForeignClientError('This change is written under the server’s identity.');
      }
      if (owner !== undefined && owner !== peer.participantId) {
        throw new ForeignClientError('This change is written under someone else’s identity.');
      }
    }
  }

  /** Records the writer as the owner of client ids nobody owned yet (a server change, saved with the room). */
  #claimClients(clients: Iterable<number>, peer: RoomPeer): void {
    const owner = peer.role === 'participant' ? peer.participantId : peer.role === 'facilitator' ? 'facilitator' : null;
    if (owner === null) return;
    const owners = this.doc.getMap<string>(CLIENT_OWNERS_KEY);
    const unclaimed = [...clients].filter((client) => !owners.has(String(client)));
    if (unclaimed.length === 0) return;
    this.doc.transact(() => {
      unclaimed.forEach((client) => owners.set(String(client), owner));
      this.#recordServerClient();
    }, CLAIM_ORIGIN);
  }

  /**
   * Records this process's client id as the server's, with the first change the server writes under
   * it. After a restart the server writes under a new id, and the old one, still in every state
   * vector, would otherwise look unclaimed: anyone could continue writing under it.
   */
  #recordServerClient(): void {
    if (this.#serverClientRecorded) return;
    this.#serverClientRecorded = true;
    const owners = this.doc.getMap<string>(CLIENT_OWNERS_KEY);
    if (owners.get(String(this.doc.clientID)) !== SERVER_CLIENT_OWNER) {
      this.doc.transact(() => owners.set(String(this.doc.clientID), SERVER_CLIENT_OWNER), CLAIM_ORIGIN);
    }
  }

  /**
   * What a client with this state vector lacks. A join storm sends hundreds of empty state
   * vectors at once, so the full state is encoded once per change, not once per client.
   */
  missingFor(stateVector: Uint8Array): Uint8Array {
    const empty = stateVector.length === 1 && stateVector[0] === 0;
    if (!empty) return Y.encodeStateAsUpdate(this.doc, stateVector);
    this.#fullState ??= Y.encodeStateAsUpdate(this.doc);
    return this.#fullState;
  }

  get name(): string {
    return roomDocName(this.workshopId, this.roomId);
  }

  /** Applies the saved state before any peer syncs; it does not count as an unsaved change. */
  load(snapshot: RoomSnapshot): void {
    Y.applyUpdate(this.doc, snapshot.update, LOAD_ORIGIN);
    this.#trial.mirror(snapshot.update);
    this.#approximateBytes = snapshot.update.length;
  }

  /**
   * Replays journaled updates over the snapshot; they are then saved in the next snapshot.
   * Returns how many could not be applied (each is skipped, the rest still apply).
   */
  replay(updates: Uint8Array[]): number {
    let failed = 0;
    for (const update of updates) {
      try {
        Y.applyUpdate(this.doc, update, REPLAY_ORIGIN);
      } catch {
        failed++;
      }
    }
    return failed;
  }

  /** Takes the facilitator's current board states, which later changes are judged by. */
  setBoards(boards: Iterable<BoardControl>): void {
    this.#boards.clear();
    for (const board of boards) this.#boards.set(board.boardId, { ...board });
  }

  addPeer(peer: RoomPeer): void {
    if (this.peers.has(peer)) return;
    this.peers.set(peer, new Set());
    if (peer.participantId) this.#connectionsOf.set(peer.participantId, (this.#connectionsOf.get(peer.participantId) ?? 0) + 1);
  }

  /** Removes a peer and the presence it published. */
  removePeer(peer: RoomPeer): void {
    const clients = this.peers.get(peer);
    if (!clients) return;
    this.peers.delete(peer);
    if (peer.participantId) {
      const left = (this.#connectionsOf.get(peer.participantId) ?? 1) - 1;
      if (left > 0) this.#connectionsOf.set(peer.participantId, left);
      else this.#connectionsOf.delete(peer.participantId);
    }
    if (clients.size > 0) removeAwarenessStates(this.awareness, [...clients], null);
  }

  /**
   * Whether `peer` may publish presence as `clientId`: its own, one nobody has published yet, or
   * one the same participant published from a connection that is still registered (a laptop
   * back on Wi-Fi before the server noticed its old socket was dead). Never the server's own.
   */
  mayPublishPresence(peer: RoomPeer, clientId: number): boolean {
    if (clientId === this.doc.clientID) return false;
    const owner = this.#presenceOwners.get(clientId);
    return owner === undefined || owner === peer || (!!peer.participantId && owner.participantId === peer.participantId);
  }

  /** Distinct participants connected now (one person may have several tabs open). */
  participantCount(): number {
    return this.#connectionsOf.size;
  }

  get hasUnsavedChanges(): boolean {
    return this.#scheduler.dirty;
  }

  /** Saves now if anything changed since the last save. */
  flush(): Promise<void> {
    return this.#scheduler.flush();
  }

  /** Saves what is unsaved, closes the journal and frees the document. */
  async unload(): Promise<void> {
    await this.flush();
    await this.#options.journal?.close();
    this.destroy();
  }

  destroy(): void {
    this.#scheduler.cancel();
    if (this.#presenceTimer) clearTimeout(this.#presenceTimer);
    this.#presenceTimer = null;
    if (this.#claimsTimer) clearTimeout(this.#claimsTimer);
    this.#claimsTimer = null;
    this.doc.off('update', this.#onUpdate);
    this.#trial.doc.off('afterTransaction', this.#judge);
    this.#trial.destroy();
    this.awareness.off('update', this.#onAwareness);
    this.awareness.destroy();
    this.doc.destroy();
  }

  /**
   * Runs after every transaction on the trial copy: judges a peer's, and keeps what the rules
   * know of cards and themes up to date with every change that stands (mirrored or withdrawn).
   */
  readonly #judge = (transaction: Y.Transaction) => {
    const doc = this.#trial.doc;
    const summary = summariseTransaction(doc, transaction);
    const rules = this.#options.rules;
    const origin = transaction.origin as RoomPeer;
    if (this.peers.has(origin)) {
      const touched = summary.cards.size + summary.themes.size + summary.otherRoots.size > 0;
      const refusal =
        (touched ? this.#overBudget : null) ??
        (rules && touched
          ? rules({
              doc,
              summary,
              writer: origin,
              known: this.#known,
              knownThemes: this.#knownThemes,
              boards: this.#boards,
              docKind: this.kind,
              corrections: this.#corrections,
              now: Date.now()
            })
          : null);
      this.#verdict = { summary, refusal };
      if (refusal) return;
    }
    const themes = themesMap(doc);
    for (const id of summary.themes.keys()) {
      const boardId = themes.get(id)?.get('boardId');
      if (typeof boardId === 'string') this.#knownThemes.set(id, boardId);
      else this.#knownThemes.delete(id);
    }
    const cards = cardsMap(doc);
    for (const id of summary.cards.keys()) {
      const entry = cards.get(id);
      const boardId = entry?.get('boardId');
      if (entry instanceof Y.Map && typeof boardId === 'string') {
        const authorId = entry.get('authorId');
        this.#known.set(id, { boardId, authorId: typeof authorId === 'string' ? authorId : '' });
      } else {
        this.#known.delete(id);
      }
    }
  };

  readonly #onUpdate = (update: Uint8Array, origin: unknown) => {
    this.#fullState = null;
    if (origin === LOAD_ORIGIN) return;
    // Everything but a load (copied there itself) reaches the trial copy; a peer's accepted update is there already.
    this.#trial.mirror(update);
    this.#publish(update, origin);
  };

  /** Journals an update (unless replayed from the journal), sends it to every peer but its origin, and schedules a save. */
  #publish(update: Uint8Array, origin: unknown) {
    if (origin !== REPLAY_ORIGIN) this.#options.journal?.append(update);
    this.#approximateBytes += update.length;
    if (origin === CLAIM_ORIGIN) this.#holdClaims(update);
    else this.#send(update, origin);
    // A change of the server's own (a revert, restored or moved cards) is written under its id.
    if (origin !== CLAIM_ORIGIN && origin !== REPLAY_ORIGIN && !this.peers.has(origin as RoomPeer)) this.#recordServerClient();
    this.#scheduler.changed();
    this.#options.onChange?.();
  }

  /**
   * Claims are made just after someone's first edit, and nobody's screen needs them: rather than
   * a second message to everyone, they ride along with the next edit (or go alone shortly after).
   */
  #holdClaims(update: Uint8Array): void {
    this.#heldClaims.push(update);
    this.#claimsTimer ??= setTimeout(() => this.#send(null, null), CLAIMS_WAIT_MS);
  }

  /** Sends `update` (with any held claims) to every peer but `origin`; `origin` still gets the claims. */
  #send(update: Uint8Array | null, origin: unknown): void {
    let outgoing = update;
    if (this.#heldClaims.length > 0) {
      const claims = Y.mergeUpdates(this.#heldClaims);
      this.#heldClaims = [];
      if (this.#claimsTimer) clearTimeout(this.#claimsTimer);
      this.#claimsTimer = null;
      // Every peer needs every server change in order, or its later ones would wait forever.
      const originPeer = this.peers.has(origin as RoomPeer) ? (origin as RoomPeer) : null;
      originPeer?.send(this.#options.encodeUpdate(claims));
      outgoing = update ? Y.mergeUpdates([claims, update]) : claims;
    }
    if (!outgoing) return;
    const message = this.#options.encodeUpdate(outgoing);
    for (const peer of this.peers.keys()) if (peer !== origin) peer.send(message);
  }

  readonly #onAwareness = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown
  ) => {
    const changed = [...added, ...updated, ...removed];
    const owned = this.peers.get(origin as RoomPeer);
    for (const id of removed) this.#presenceOwners.delete(id);
    if (owned) {
      // Added or updated: a returning client id (after a reconnect) arrives as "updated".
      for (const id of [...added, ...updated]) {
        const previous = this.#presenceOwners.get(id);
        if (previous !== undefined && previous !== origin) this.peers.get(previous)?.delete(id);
        owned.add(id);
        this.#presenceOwners.set(id, origin as RoomPeer);
      }
      for (const id of removed) owned.delete(id);
      // A client announces its id in its presence as soon as it connects: that claims it.
      if (added.length > 0) this.#claimClients(added, origin as RoomPeer);
    }
    for (const id of changed) this.#presenceChanged.add(id);
    if (this.#presenceTimer) return;
    const wait = Math.max(0, this.#presenceSentAt + PRESENCE_BATCH_MS - performance.now());
    this.#presenceTimer = setTimeout(this.#sendPresence, wait);
  };

  /** Sends every presence change since the last send, each client's latest state (or its removal), in one message. */
  readonly #sendPresence = () => {
    this.#presenceTimer = null;
    const budget = this.#refillPresenceBudget();
    if (budget < 0) {
      // Over the room's rate: wait until the debt is paid; changes keep merging meanwhile.
      this.#presenceTimer = setTimeout(this.#sendPresence, Math.ceil((-budget / PRESENCE_LIMITS.roomBytesPerSecond) * 1000));
      return;
    }
    this.#presenceSentAt = performance.now();
    const changed = [...this.#presenceChanged];
    this.#presenceChanged.clear();
    if (changed.length === 0 || this.peers.size === 0) return;
    const message = this.#options.encodeAwareness(this.awareness, changed);
    this.#presenceBudget -= message.length * this.peers.size;
    for (const peer of this.peers.keys()) peer.send(message);
  };

  /** Tops the presence budget up for the time since it was last looked at; returns what is left (negative: in debt). */
  #refillPresenceBudget(): number {
    const now = performance.now();
    const refill = ((now - this.#presenceBudgetAt) / 1000) * PRESENCE_LIMITS.roomBytesPerSecond;
    this.#presenceBudgetAt = now;
    this.#presenceBudget = Math.min(PRESENCE_LIMITS.roomBurstBytes, this.#presenceBudget + refill);
    return this.#presenceBudget;
  }

  /**
   * Takes `bytes` from the room's presence budget for a reply to one connection (its query for
   * everyone's presence); false, taking nothing, when the room is over its rate.
   */
  spendPresenceBytes(bytes: number): boolean {
    if (this.#refillPresenceBudget() < bytes) return false;
    this.#presenceBudget -= bytes;
    return true;
  }

  /**
   * Seals the journal and encodes the state in the same tick, so the snapshot holds every
   * sealed record; once the snapshot is durable those journal generations are dropped.
   */
  async #save(): Promise<void> {
    const journal = this.#options.journal;
    const sealed = journal?.seal();
    const update = Y.encodeStateAsUpdate(this.doc);
    this.#approximateBytes = update.length;
    await this.#options.save({ savedAt: Date.now(), update, cards: readCards(this.doc) });
    if (journal && sealed !== undefined) await journal.dropThrough(sealed);
  }
}
