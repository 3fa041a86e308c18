import { untrack } from 'svelte';
import {
  PLENARY_ROOM_ID,
  newId,
  type Board,
  type CardView,
  type FacilitatorWorkshopView,
  type PresenceUser,
  type ThemeView
} from '@goldthread/shared';
import { getWorkshop } from '$lib/api';
import type { ResultBar, WallCard } from '$lib/projector-layout';
import { ControlChannel } from './control.svelte';
import { RoomSync } from './room-sync.svelte';

/** What the spotlight shows on the big screen. */
export type SpotlightView =
  | { kind: 'card'; text: string; where: string }
  | { kind: 'theme'; name: string; where: string; cards: string[] };

const PLENARY_PHASES = new Set(['group', 'vote', 'discuss', 'closed']);

/**
 * The projector: a read-only screen that follows the facilitator. It opens every room's
 * document (and the plenary) with its own projector token; the server drops anything it
 * would write, and it publishes no presence.
 */
export class ProjectorScreen {
  phase = $state<'opening' | 'ready' | 'failed'>('opening');
  error = $state<string | null>(null);
  workshop = $state.raw<FacilitatorWorkshopView | null>(null);
  rooms = $state.raw<{ id: string; name: string; sync: RoomSync }[]>([]);
  plenary = $state.raw<RoomSync | null>(null);
  control = $state.raw<ControlChannel | null>(null);

  readonly #viewer: PresenceUser = { id: `projector-${newId(8)}`, name: 'Projector', role: 'projector', color: '#000000' };
  #token: string | null = null;
  #destroyed = false;
  #stopEffects: (() => void) | null = null;

  async open(workshopId: string, token: string | null): Promise<void> {
    if (!token) {
      this.#fail('This screen has no projector link. Open the projector from the facilitator page.');
      return;
    }
    const result = await getWorkshop(workshopId, token);
    if (this.#destroyed) return;
    if (!result.ok) {
      this.#fail(
        result.status === 401 || result.status === 403
          ? 'This projector link has expired or is not for this workshop. Open the projector again from the facilitator page.'
          : result.error.message
      );
      return;
    }
    if (!('joinCode' in result.data)) {
      this.#fail('This link is not a projector link. Open the projector from the facilitator page.');
      return;
    }
    this.#token = token;
    this.workshop = result.data;
    this.rooms = result.data.rooms.map((room) => ({
      id: room.id,
      name: room.name,
      sync: new RoomSync({ workshopId, roomId: room.id, token, user: this.#viewer, publishPresence: false })
    }));
    const control = new ControlChannel(token);
    this.control = control;
    this.#stopEffects = $effect.root(() => {
      $effect(() => {
        const needed = control.state?.boards.some((board) => PLENARY_PHASES.has(board.phase)) ?? false;
        if (needed) untrack(() => this.#openPlenary());
      });
    });
    this.phase = 'ready';
  }

  /** The board on the big screen: the one everyone was brought to, else the one in play. */
  get board(): Board | null {
    const workshop = this.workshop;
    const state = this.control?.state;
    if (!workshop) return null;
    const focused = workshop.boards.find((board) => board.id === state?.focusBoardId);
    if (focused) return focused;
    const active = state?.boards.find((board) => board.phase !== 'setup' && board.phase !== 'closed');
    return workshop.boards.find((board) => board.id === active?.boardId) ?? workshop.boards[0] ?? null;
  }

  roomName(roomId: string): string {
    return roomId === PLENARY_ROOM_ID ? 'All rooms' : (this.rooms.find((room) => room.id === roomId)?.name ?? roomId);
  }

  /** Whether the board's cards have been combined onto the plenary board (its copy is then shown). */
  combined(boardId: string): boolean {
    return (this.plenary?.cardsOn(boardId).length ?? 0) > 0;
  }

  /** The cards of a board as the wall shows them: the plenary copy once combined, else every room's. */
  wallCards(boardId: string): WallCard[] {
    if (this.plenary && this.combined(boardId)) {
      const themes = this.plenary.themesOn(boardId);
      return sortByTheme(this.plenary.cardsOn(boardId), themes).map((card) => ({
        key: `plenary:${card.id}`,
        text: card.text,
        color: card.color,
        tag: tagOf(card.sourceRoomId ? this.roomName(card.sourceRoomId) : undefined, themes, card)
      }));
    }
    return this.rooms.flatMap(({ id, name, sync }) => {
      const themes = sync.themesOn(boardId);
      return sortByTheme(sync.cardsOn(boardId), themes).map((card) => ({
        key: `${id}:${card.id}`,
        text: card.text,
        color: card.color,
        tag: tagOf(this.rooms.length > 1 ? name : undefined, themes, card)
      }));
    });
  }

  /** Every document the wall of this board shows has its server copy: cards arriving before then are rooms loading. */
  wallLoaded(boardId: string): boolean {
    if (this.plenary && this.combined(boardId)) return this.plenary.connection === 'connected';
    return this.rooms.every(({ sync }) => sync.connection === 'connected');
  }

  /** Vote results of a board, most first, when participants may see them. */
  resultBars(boardId: string): ResultBar[] | null {
    const control = this.control;
    const results = control?.results[boardId];
    if (!control || !results || !control.resultsVisible(boardId)) return null;
    return results.tallies.flatMap((tally) => {
      const sync = tally.roomId === PLENARY_ROOM_ID ? this.plenary : this.rooms.find((room) => room.id === tally.roomId)?.sync;
      const card = sync?.cards.find((c) => c.id === tally.cardId);
      if (!card) return [];
      const from = card.sourceRoomId ?? tally.roomId;
      return [{ key: `${tally.roomId}:${tally.cardId}`, text: card.text, tag: this.roomName(from), votes: tally.votes }];
    });
  }

  /** What the spotlight shows, or null. */
  get spotlight(): SpotlightView | null {
    const spotlight = this.control?.state?.spotlight;
    if (!spotlight) return null;
    const sync = spotlight.roomId === PLENARY_ROOM_ID ? this.plenary : this.rooms.find((room) => room.id === spotlight.roomId)?.sync;
    if (!sync) return null;
    if (spotlight.kind === 'card') {
      const card = sync.cards.find((c) => c.id === spotlight.cardId);
      return card ? { kind: 'card', text: card.text, where: this.roomName(card.sourceRoomId ?? spotlight.roomId) } : null;
    }
    const theme = sync.themes.find((t) => t.id === spotlight.themeId);
    if (!theme) return null;
    const texts = theme.cardIds.map((id) => sync.cards.find((c) => c.id === id)?.text).filter((t): t is string => !!t);
    return { kind: 'theme', name: theme.name, where: this.roomName(spotlight.roomId), cards: texts };
  }

  destroy(): void {
    this.#destroyed = true;
    this.#stopEffects?.();
    for (const room of this.rooms) room.sync.destroy();
    this.plenary?.destroy();
    this.control?.destroy();
  }

  #openPlenary(): void {
    if (this.plenary || !this.workshop || !this.#token) return;
    this.plenary = new RoomSync({
      workshopId: this.workshop.id,
      roomId: PLENARY_ROOM_ID,
      token: this.#token,
      user: this.#viewer,
      publishPresence: false
    });
  }

  #fail(message: string): void {
    this.phase = 'failed';
    this.error = message;
  }
}

/** Cards of each theme together (themes in order), ungrouped cards last. */
function sortByTheme(cards: CardView[], themes: ThemeView[]): CardView[] {
  if (themes.length === 0) return cards;
  const order = new Map(themes.map((theme, index) => [theme.id, index]));
  const rank = (card: CardView) => (card.themeId !== undefined && order.has(card.themeId) ? order.get(card.themeId)! : themes.length);
  return [...cards].sort((a, b) => rank(a) - rank(b));
}

function tagOf(room: string | undefined, themes: ThemeView[], card: CardView): string | undefined {
  const theme = themes.find((t) => t.id === card.themeId)?.name;
  return [room, theme].filter(Boolean).join(' · ') || undefined;
}
