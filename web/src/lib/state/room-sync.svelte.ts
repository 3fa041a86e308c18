import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { createSubscriber } from 'svelte/reactivity';
import {
  YJS_PATH,
  addCard,
  cardsMap,
  deleteCard,
  readCards,
  readPresenceUser,
  roomDocName,
  setCardText,
  type CardColor,
  type CardView,
  type PresenceUser
} from '@goldthread/shared';

/** How the room's live connection looks to a person. */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'refused';

export interface RoomSyncOptions {
  workshopId: string;
  roomId: string;
  /** Participant token or facilitator session token (never the facilitator key). */
  token: string;
  /** Who this client is in "Who is here". */
  user: PresenceUser;
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

  #status = $state<'connecting' | 'connected' | 'disconnected'>('connecting');
  #everConnected = $state(false);
  #online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);
  #refused = $state(false);
  #synced = $state(false);

  #cardsCache: CardView[] | null = null;
  readonly #invalidateCards = () => {
    this.#cardsCache = null;
  };

  readonly #subscribeCards = createSubscriber((update) => {
    const map = cardsMap(this.doc);
    map.observeDeep(update);
    return () => map.unobserveDeep(update);
  });

  readonly #subscribePeople = createSubscriber((update) => {
    const awareness = this.#provider.awareness;
    awareness.on('change', update);
    return () => awareness.off('change', update);
  });

  constructor(options: RoomSyncOptions) {
    this.user = options.user;
    // Registered before any subscriber, so the cache is stale-proof even when nothing is rendering.
    cardsMap(this.doc).observeDeep(this.#invalidateCards);

    this.#provider = new WebsocketProvider(yjsUrl(), roomDocName(options.workshopId, options.roomId), this.doc, {
      params: { token: options.token },
      // Every change goes through the server, which decides who may edit what; tabs of
      // the same browser must not sync around it.
      disableBc: true
    });
    this.#provider.awareness.setLocalStateField('user', options.user);
    this.#provider.on('status', this.#onStatus);
    this.#provider.on('sync', this.#onSync);
    this.#provider.on('closed', this.#onClosed);
    window.addEventListener('online', this.#onOnline);
    window.addEventListener('offline', this.#onOffline);
  }

  /** Every card of the room, oldest first. */
  get cards(): CardView[] {
    this.#subscribeCards();
    this.#cardsCache ??= readCards(this.doc);
    return this.#cardsCache;
  }

  /** The cards of one board, oldest first. */
  cardsOn(boardId: string): CardView[] {
    return this.cards.filter((card) => card.boardId === boardId);
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

  /** Connected only once the server's copy has arrived, so "Connected" means the cards shown are complete. */
  get connection(): ConnectionState {
    if (this.#refused) return 'refused';
    if (!this.#online) return 'offline';
    if (this.#status === 'connected' && this.#synced) return 'connected';
    return this.#everConnected ? 'reconnecting' : 'connecting';
  }

  /** Adds a card by this client's user; returns its id. */
  add(boardId: string, text: string, color: CardColor): string {
    return addCard(this.doc, { boardId, text, color, authorId: this.user.id, authorName: this.user.name });
  }

  edit(cardId: string, text: string): boolean {
    return setCardText(this.doc, cardId, text);
  }

  remove(cardId: string): boolean {
    return deleteCard(this.doc, cardId);
  }

  destroy(): void {
    window.removeEventListener('online', this.#onOnline);
    window.removeEventListener('offline', this.#onOffline);
    cardsMap(this.doc).unobserveDeep(this.#invalidateCards);
    this.#provider.awareness.setLocalState(null);
    this.#provider.destroy();
    this.doc.destroy();
  }

  readonly #onStatus = ({ status }: { status: 'connected' | 'disconnected' | 'connecting' }) => {
    this.#status = status;
    if (status === 'connected') this.#everConnected = true;
    else this.#synced = false;
  };

  readonly #onSync = (isSynced: boolean) => {
    this.#synced = isSynced;
  };

  /** The server closed with a 44xx code: reconnecting cannot help (e.g. the token was refused). */
  readonly #onClosed = () => {
    this.#refused = true;
  };

  readonly #onOnline = () => {
    this.#online = true;
    // Skip the remaining back-off: the network is back now.
    if (!this.#refused) this.#provider.connect();
  };

  readonly #onOffline = () => {
    this.#online = false;
  };
}
