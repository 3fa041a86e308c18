import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { IndexeddbPersistence } from 'y-indexeddb';
import { createSubscriber } from 'svelte/reactivity';
import {
  YJS_PATH,
  isTransientClose,
  addCard,
  addTheme,
  cardsMap,
  deleteCard,
  moveCardToTheme,
  CardViews,
  readPresenceUser,
  readThemes,
  roomDocName,
  setCardText,
  themesMap,
  type CardColor,
  type CardView,
  type PresenceUser,
  type ThemeView
} from '@goldthread/shared';

/** How the room's live connection looks to a person. */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'refused';

export interface RoomSyncOptions {
  workshopId: string;
  roomId: string;
  /** Participant token or facilitator session token (never the facilitator key). */
  token: string;
  /** Who this client is in "Who is here", and the author of the cards it adds. */
  user: PresenceUser;
  /** Another document than the room's own, e.g. a private brainstorm or the plenary. */
  docName?: string;
  /** False for screens that only watch (the projector) or documents nobody else shares. */
  publishPresence?: boolean;
  /** Told when the server took back a card or theme this client had just added. */
  onRefused?: (refused: RefusedAddition) => void;
  /**
   * Keeps a copy of the document in this browser (IndexedDB) under this name, so changes made
   * while offline survive a closed tab or a reload and are sent on reconnecting. Omitted: memory only.
   */
  keepOffline?: string;
  /** Told about cards other people added, once the first copy from the server has arrived. */
  onNewCards?: (cards: NewCard[]) => void;
  /** Start held back from connecting, until `hold(false)`. */
  held?: boolean;
}

/** A card someone else added, as far as an announcement needs it. */
export interface NewCard {
  boardId: string;
  authorName: string;
}

/** Something this client added that the server removed again straight away (it refused it). */
export interface RefusedAddition {
  kind: 'card' | 'theme';
  id: string;
  boardId: string;
  /** The card's text or the theme's name, so it can be offered back to the person. */
  text: string;
}

/** How long after adding something (or after it was sent on reconnecting) a removal by the server counts as a refusal. */
const REFUSAL_WINDOW_MS = 5000;
/** How long to wait for the browser's stored copy before connecting anyway (a blocked IndexedDB must not stop the room). */
const LOCAL_COPY_WAIT_MS = 1500;

const unsentKey = (name: string) => `goldthread:unsent:${name}`;

function readUnsent(name: string | undefined): number {
  if (!name) return 0;
  try {
    const value = Number(localStorage.getItem(unsentKey(name)));
    return Number.isInteger(value) && value > 0 ? value : 0;
  } catch {
    return 0;
  }
}

function writeUnsent(name: string | undefined, count: number): void {
  if (!name) return;
  try {
    if (count > 0) localStorage.setItem(unsentKey(name), String(count));
    else localStorage.removeItem(unsentKey(name));
  } catch {
    // Storage blocked: the count still lives in memory for this page.
  }
}

/**
 * Deletes the browser's offline copy of a document (its IndexedDB database and its count of
 * unsent changes). Resolves once gone, or once the browser says it cannot be reached.
 */
export function removeOfflineCopy(name: string): Promise<void> {
  writeUnsent(name, 0);
  if (typeof indexedDB === 'undefined') return Promise.resolve();
  return new Promise((resolve) => {
    try {
      const request = indexedDB.deleteDatabase(name);
      request.onsuccess = () => resolve();
      request.onerror = () => resolve();
      // Another tab still has it open: it is deleted once that tab lets go.
      request.onblocked = () => resolve();
    } catch {
      resolve();
    }
  });
}

/** The websocket base for the page's own origin. */
function yjsUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${YJS_PATH}`;
}

/**
 * One room's shared document, kept live over y-websocket, behind a typed reactive API.
 * Reading `cards`, `people` or `connection` inside a component or `$derived` subscribes to
 * the underlying Yjs events; the subscription ends when nothing reads them any more.
 */
export class RoomSync {
  readonly doc = new Y.Doc();
  readonly user: PresenceUser;
  readonly #provider: WebsocketProvider;
  #localCopy: IndexeddbPersistence | null = null;
  #keepOffline: string | undefined;
  readonly #onNewCards: ((cards: NewCard[]) => void) | undefined;

  #status = $state<'connecting' | 'connected' | 'disconnected'>('connecting');
  /** Changes made on this device while it could not send them (kept across reloads with the local copy). */
  #unsent = $state(0);
  #everSynced = false;
  #destroyed = false;
  /** The browser's own copy is in (or there is none, or it took too long). */
  #localReady = false;
  /** Kept from connecting for now (see `hold`). */
  #held = false;
  #everConnected = $state(false);
  #online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);
  #refused = $state(false);
  #synced = $state(false);

  readonly #cardViews = new CardViews(this.doc);
  #themesCache: ThemeView[] | null = null;
  /** What this client added lately, by id: if the server removes one soon after, it refused it. */
  readonly #recentlyAdded = new Map<string, RefusedAddition & { at: number }>();
  readonly #onRefused: ((refused: RefusedAddition) => void) | undefined;

  readonly #invalidateCards = (events: Y.YEvent<Y.AbstractType<unknown>>[], transaction: Y.Transaction) => {
    this.#cardViews.note(events);
    this.#themesCache = null;
    if (!transaction.local) this.#noticeRefusals(events);
    if (transaction.origin === this.#provider && this.#everSynced) this.#noticeNewCards(events);
  };

  /** Counts this person's own changes made while nothing could carry them to the server. */
  readonly #countUnsent = (_update: Uint8Array, origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => {
    if (!transaction.local || origin === this.#localCopy || origin === this.#provider) return;
    if (this.#status === 'connected') return;
    this.#unsent += 1;
    writeUnsent(this.#keepOffline, this.#unsent);
  };

  readonly #invalidateThemes = (events: Y.YEvent<Y.AbstractType<unknown>>[], transaction: Y.Transaction) => {
    this.#themesCache = null;
    if (!transaction.local) this.#noticeRefusals(events);
  };

  readonly #subscribeCards = createSubscriber((update) => {
    const map = cardsMap(this.doc);
    map.observeDeep(update);
    return () => map.unobserveDeep(update);
  });

  readonly #subscribeThemes = createSubscriber((update) => {
    const cards = cardsMap(this.doc);
    const themes = themesMap(this.doc);
    cards.observeDeep(update);
    themes.observeDeep(update);
    return () => {
      cards.unobserveDeep(update);
      themes.unobserveDeep(update);
    };
  });

  readonly #subscribePeople = createSubscriber((update) => {
    const awareness = this.#provider.awareness;
    awareness.on('change', update);
    return () => awareness.off('change', update);
  });

  constructor(options: RoomSyncOptions) {
    this.user = options.user;
    this.#onRefused = options.onRefused;
    this.#onNewCards = options.onNewCards;
    this.#keepOffline = options.keepOffline;
    this.#held = options.held ?? false;
    this.#unsent = readUnsent(options.keepOffline);
    // Registered before any subscriber, so the cache is stale-proof even when nothing is rendering.
    cardsMap(this.doc).observeDeep(this.#invalidateCards);
    themesMap(this.doc).observeDeep(this.#invalidateThemes);
    this.doc.on('update', this.#countUnsent);

    const docName = options.docName ?? roomDocName(options.workshopId, options.roomId);
    this.#provider = new WebsocketProvider(yjsUrl(), docName, this.doc, {
      params: { token: options.token },
      // Every change goes through the server, which decides who may edit what; tabs of
      // the same browser must not sync around it.
      disableBc: true,
      // Connected below, once the browser's own copy (if any) is in: the first sync then sends
      // whatever was written offline in one go.
      connect: false,
      // y-websocket gives up on every 44xx close; a refused message (4400: reconnecting resyncs)
      // and a rate limit (4429) are worth another try after the back-off.
      shouldReconnect: (event) => isTransientClose(event.code)
    });
    if (options.keepOffline) {
      try {
        this.#localCopy = new IndexeddbPersistence(options.keepOffline, this.doc);
      } catch {
        // No IndexedDB here (blocked by policy): the room still works, changes live in memory.
      }
    }
    const localReady = () => {
      this.#localReady = true;
      this.#connect();
    };
    if (this.#localCopy) {
      void this.#localCopy.whenSynced.then(localReady);
      setTimeout(localReady, LOCAL_COPY_WAIT_MS);
    } else {
      localReady();
    }
    if (options.publishPresence === false) this.#provider.awareness.setLocalState(null);
    else this.#provider.awareness.setLocalStateField('user', options.user);
    this.#provider.on('status', this.#onStatus);
    this.#provider.on('sync', this.#onSync);
    this.#provider.on('closed', this.#onClosed);
    window.addEventListener('online', this.#onOnline);
    window.addEventListener('offline', this.#onOffline);
  }

  /** Every card of the room, oldest first. */
  get cards(): CardView[] {
    this.#subscribeCards();
    return this.#cardViews.list();
  }

  /** The cards of one board, oldest first. */
  cardsOn(boardId: string): CardView[] {
    return this.cards.filter((card) => card.boardId === boardId);
  }

  /** The themes of the room (Group phase), oldest first, each with its cards. */
  get themes(): ThemeView[] {
    this.#subscribeThemes();
    this.#themesCache ??= readThemes(this.doc);
    return this.#themesCache;
  }

  /** The themes of one board. */
  themesOn(boardId: string): ThemeView[] {
    return this.themes.filter((theme) => theme.boardId === boardId);
  }

  /** Everyone connected to this room (including this client), one entry per person. */
  get people(): PresenceUser[] {
    this.#subscribePeople();
    const byId = new Map<string, PresenceUser>();
    for (const state of this.#provider.awareness.getStates().values()) {
      const user = readPresenceUser(state);
      if (user && !byId.has(user.id)) byId.set(user.id, user);
    }
    return [...byId.values()];
  }

  /**
   * Holds the document back from connecting (a live connection is never dropped for it), e.g.
   * until the control channel is there to hear why the server refuses a change sent on connecting.
   */
  hold(held: boolean): void {
    this.#held = held;
    this.#connect();
  }

  /** How many of this person's changes are waiting for the connection (0 once they are sent). */
  get unsent(): number {
    return this.#unsent;
  }

  /** Connected only once the server's copy has arrived, so "Connected" means the cards shown are complete. */
  get connection(): ConnectionState {
    if (this.#refused) return 'refused';
    if (!this.#online) return 'offline';
    if (this.#status === 'connected' && this.#synced) return 'connected';
    return this.#everConnected ? 'reconnecting' : 'connecting';
  }

  /** Adds a card by this client's user; returns its id. */
  add(boardId: string, text: string, color: CardColor): string {
    const id = addCard(this.doc, { boardId, text, color, authorId: this.user.id, authorName: this.user.name });
    this.#recentlyAdded.set(id, { kind: 'card', id, boardId, text, at: Date.now() });
    return id;
  }

  /** Adds a named theme to a board; returns its id. */
  addTheme(boardId: string, name: string): string {
    const id = addTheme(this.doc, boardId, name);
    this.#recentlyAdded.set(id, { kind: 'theme', id, boardId, text: name, at: Date.now() });
    return id;
  }

  /** Puts a card into a theme, or takes it out with null. */
  moveToTheme(cardId: string, themeId: string | null): boolean {
    return moveCardToTheme(this.doc, cardId, themeId);
  }

  edit(cardId: string, text: string): boolean {
    return setCardText(this.doc, cardId, text);
  }

  remove(cardId: string): boolean {
    this.#recentlyAdded.delete(cardId);
    return deleteCard(this.doc, cardId);
  }

  /** Stops keeping a copy in this browser and deletes the one kept; the document lives on in memory. */
  async dropOfflineCopy(): Promise<void> {
    const name = this.#keepOffline;
    const copy = this.#localCopy;
    this.#keepOffline = undefined;
    this.#localCopy = null;
    if (copy) await copy.clearData().catch(() => undefined);
    if (name) await removeOfflineCopy(name);
  }

  destroy(): void {
    this.#destroyed = true;
    window.removeEventListener('online', this.#onOnline);
    window.removeEventListener('offline', this.#onOffline);
    cardsMap(this.doc).unobserveDeep(this.#invalidateCards);
    themesMap(this.doc).unobserveDeep(this.#invalidateThemes);
    this.doc.off('update', this.#countUnsent);
    this.#provider.awareness.setLocalState(null);
    this.#provider.destroy();
    // The local copy closes with the document (y-indexeddb listens for its destroy).
    this.doc.destroy();
  }

  #connect(): void {
    if (this.#destroyed || this.#refused || !this.#online || this.#held || !this.#localReady) return;
    if (!this.#provider.shouldConnect) this.#provider.connect();
  }

  /** Cards other people added, told in one batch per transaction. */
  #noticeNewCards(events: Y.YEvent<Y.AbstractType<unknown>>[]): void {
    if (!this.#onNewCards) return;
    const map = cardsMap(this.doc);
    const added: NewCard[] = [];
    for (const event of events) {
      if (event.path.length > 0) continue;
      for (const [key, change] of event.changes.keys) {
        if (change.action !== 'add') continue;
        const entry = map.get(key);
        const boardId = entry?.get('boardId');
        const authorId = entry?.get('authorId');
        if (typeof boardId !== 'string' || authorId === this.user.id) continue;
        const authorName = entry?.get('authorName');
        added.push({ boardId, authorName: typeof authorName === 'string' ? authorName : '' });
      }
    }
    if (added.length > 0) this.#onNewCards(added);
  }

  /** The server reverts a change it refuses: a card or theme this client just added vanishing is one. */
  #noticeRefusals(events: Y.YEvent<Y.AbstractType<unknown>>[]): void {
    if (this.#recentlyAdded.size === 0) return;
    const now = Date.now();
    for (const event of events) {
      if (event.path.length > 0) continue;
      for (const [key, change] of event.changes.keys) {
        const added = this.#recentlyAdded.get(key);
        if (change.action !== 'delete' || !added) continue;
        this.#recentlyAdded.delete(key);
        if (now - added.at < REFUSAL_WINDOW_MS || !this.#synced) {
          const { at: _at, ...refused } = added;
          this.#onRefused?.(refused);
        }
      }
    }
    // Until the server's copy is in, what was added offline has not been judged yet: keep it.
    if (!this.#synced) return;
    for (const [key, added] of this.#recentlyAdded) if (now - added.at >= REFUSAL_WINDOW_MS) this.#recentlyAdded.delete(key);
  }

  readonly #onStatus = ({ status }: { status: 'connected' | 'disconnected' | 'connecting' }) => {
    this.#status = status;
    if (status === 'connected') this.#everConnected = true;
    else this.#synced = false;
  };

  readonly #onSync = (isSynced: boolean) => {
    this.#synced = isSynced;
    if (!isSynced) return;
    this.#everSynced = true;
    // The server's step 1 came before its step 2, so everything written offline has gone out
    // with this client's answer. A refusal of it arrives shortly: the window starts again now.
    const now = Date.now();
    for (const added of this.#recentlyAdded.values()) added.at = now;
    if (this.#unsent > 0) {
      this.#unsent = 0;
      writeUnsent(this.#keepOffline, 0);
    }
  };

  /** The server closed with a 44xx code: reconnecting cannot help (e.g. the token was refused). */
  readonly #onClosed = () => {
    this.#refused = true;
  };

  readonly #onOnline = () => {
    this.#online = true;
    // Skip the remaining back-off: the network is back now.
    this.#connect();
  };

  /** No network: a socket that still looks open is dead, so edits are kept here instead of vanishing into it. */
  readonly #onOffline = () => {
    this.#online = false;
    this.#provider.disconnect();
  };
}
