import { untrack } from 'svelte';
import {
  PLENARY_ROOM_ID,
  type CommandName,
  type CommandPayload,
  type CommandReply,
  type FacilitatorWorkshopView,
  type PresenceUser,
  type Room,
  type ThemeComparison,
  type UpdateWorkshopRequest
} from '@goldthread/shared';
import { mintProjectorToken, openFacilitatorSession, updateWorkshop, type ApiResult } from '$lib/api';
import { facilitatorPresence } from '$lib/presence';
import { saveFacilitatorKey } from '$lib/storage';
import { AttendanceCounts } from './attendance.svelte';
import { CommandError, ControlChannel } from './control.svelte';
import { NotesSeries } from './notes-series.svelte';
import { ProxyPeople } from './proxies.svelte';
import { RoomSync } from './room-sync.svelte';
import { SnapshotTimeline } from './snapshots.svelte';

export interface WatchedRoom {
  room: Room;
  sync: RoomSync;
}

/** What the last action did, for the console's status line. */
export interface Feedback {
  kind: 'done' | 'problem';
  text: string;
}

/** Where the projector page lives; its token travels in the fragment, which is never sent to a server. */
export function projectorPath(workshopId: string, token: string): string {
  return `/project/${encodeURIComponent(workshopId)}#token=${encodeURIComponent(token)}`;
}

/**
 * The facilitator's view of a whole workshop: trades the facilitator key for a session
 * token, keeps every room's document live side by side, and steers the workshop over the
 * control channel. The key itself stays on this page; screens it opens get their own tokens.
 */
export class FacilitatorConsole {
  phase = $state<'opening' | 'ready' | 'failed'>('opening');
  error = $state<string | null>(null);
  workshop = $state.raw<FacilitatorWorkshopView | null>(null);
  rooms = $state.raw<WatchedRoom[]>([]);
  /** The plenary board's document, once boards may have been combined. */
  plenary = $state.raw<RoomSync | null>(null);
  control = $state.raw<ControlChannel | null>(null);
  /** The key this console was opened with, for the "keep this safe" panel. */
  key = $state<string | null>(null);
  feedback = $state<Feedback | null>(null);
  /** Theme comparisons asked for, by board. */
  comparisons = $state<Record<string, ThemeComparison>>({});
  /** The last projector link made, to open on another device. */
  projectorLink = $state<string | null>(null);
  /** Commands in flight, by a caller-chosen key, to show progress and avoid double presses. */
  busy = $state<Record<string, boolean>>({});
  /** The snapshot timeline, once the workshop is open. */
  snapshots = $state.raw<SnapshotTimeline | null>(null);
  /** People without a device, whose cards and votes the facilitator enters. */
  proxies = $state.raw<ProxyPeople | null>(null);
  /** Head-counts by room and sector. */
  attendance = $state.raw<AttendanceCounts | null>(null);
  /** Other workshops run from this browser, for a series' combined notes. */
  series = $state.raw<NotesSeries | null>(null);

  readonly #presence: PresenceUser = facilitatorPresence();
  #token: string | null = null;
  #destroyed = false;
  #stopEffects: (() => void) | null = null;

  async open(workshopId: string, key: string | null): Promise<void> {
    if (!key) {
      this.#failWith(
        'This browser does not have the facilitator key for this workshop. Open the facilitator link you saved when you created it.'
      );
      return;
    }
    this.phase = 'opening';
    this.error = null;
    const session = await openFacilitatorSession(workshopId, key);
    if (this.#destroyed) return;
    if (!session.ok) {
      this.#failWith(
        session.status === 401 || session.status === 403
          ? 'That facilitator key is not right for this workshop. Check you opened the link you saved when you created it.'
          : session.status === 404
            ? 'We could not find this workshop. Check the address, or open the facilitator link you saved.'
            : session.error.message
      );
      return;
    }
    saveFacilitatorKey(workshopId, key);
    const token = session.data.token;
    this.#token = token;
    this.key = key;
    this.workshop = session.data.workshop;
    this.rooms = session.data.workshop.rooms.map((room) => ({
      room,
      sync: new RoomSync({ workshopId, roomId: room.id, token, user: this.#presence })
    }));
    const control = new ControlChannel(token);
    this.control = control;
    this.#stopEffects = $effect.root(() => {
      $effect(() => {
        // The plenary document is opened once a board has been combined onto it.
        const needed = (control.state?.plenaryBoardIds.length ?? 0) > 0;
        if (needed) untrack(() => this.#openPlenary());
      });
    });
    const report = (feedback: Feedback) => (this.feedback = feedback);
    this.snapshots = new SnapshotTimeline({ workshopId, token, report });
    this.snapshots.start(control);
    this.proxies = new ProxyPeople({
      workshopId,
      token,
      user: this.#presence,
      rooms: () => this.rooms,
      control: () => this.control,
      report
    });
    this.attendance = new AttendanceCounts(workshopId, token);
    this.attendance.start(control);
    const { title, createdAt } = session.data.workshop;
    this.series = new NotesSeries({ id: workshopId, title, createdAt, token });
    this.phase = 'ready';
  }

  /** The session token, for downloads made from this page. */
  get token(): string | null {
    return this.#token;
  }

  /**
   * Runs a control command, reporting the outcome in `feedback`; resolves to the reply, or
   * null when it was refused (the reason is in `feedback`).
   */
  async run<C extends CommandName>(
    name: C,
    payload: CommandPayload<C>,
    options: { busyKey?: string; done?: string } = {}
  ): Promise<CommandReply<C> | null> {
    if (!this.control) return null;
    const busyKey = options.busyKey ?? name;
    this.busy[busyKey] = true;
    try {
      const reply = await this.control.command(name, payload);
      this.feedback = options.done ? { kind: 'done', text: options.done } : null;
      return reply;
    } catch (error) {
      this.feedback = { kind: 'problem', text: error instanceof CommandError ? error.message : 'That did not work. Please try again.' };
      return null;
    } finally {
      this.busy[busyKey] = false;
    }
  }

  /** Boards combined onto the plenary board: the console shows the plenary for these only. */
  onPlenary(boardId: string): boolean {
    return this.control?.state?.plenaryBoardIds.includes(boardId) ?? false;
  }

  /** Copies a board's cards from every room onto the plenary board. */
  async combine(boardId: string, boardTitle: string): Promise<void> {
    const reply = await this.run('plenary:combine', { boardId }, { busyKey: `combine:${boardId}` });
    if (!reply) return;
    this.#openPlenary();
    this.feedback = {
      kind: 'done',
      text: `${reply.cards} ${reply.cards === 1 ? 'card' : 'cards'} from every room combined on the ${boardTitle} plenary board.`
    };
  }

  async compareThemes(boardId: string): Promise<void> {
    const reply = await this.run('themes:compare', { boardId }, { busyKey: `compare:${boardId}` });
    if (reply) this.comparisons[boardId] = reply;
  }

  /** Mints a read-only projector token and returns the projector page's address (null when refused). */
  /** Saves changed details or attribution (`PATCH /api/workshops/:id`); the console shows the saved workshop. */
  async updateWorkshop(request: UpdateWorkshopRequest): Promise<ApiResult<FacilitatorWorkshopView>> {
    const workshop = this.workshop;
    if (!workshop || !this.#token) return { ok: false, status: 0, error: { code: 'unavailable', message: 'The workshop is not open yet.' } };
    const result = await updateWorkshop(workshop.id, this.#token, request);
    if (result.ok && !this.#destroyed) this.workshop = result.data;
    return result;
  }

  async projectorUrl(): Promise<string | null> {
    const workshop = this.workshop;
    if (!workshop || !this.#token) return null;
    const minted = await mintProjectorToken(workshop.id, this.#token);
    if (!minted.ok) {
      this.feedback = { kind: 'problem', text: minted.error.message };
      return null;
    }
    const url = `${location.origin}${projectorPath(workshop.id, minted.data.token)}`;
    this.projectorLink = url;
    return url;
  }

  destroy(): void {
    this.#destroyed = true;
    this.#stopEffects?.();
    this.attendance?.destroy();
    this.snapshots?.destroy();
    this.proxies?.destroy();
    for (const { sync } of this.rooms) sync.destroy();
    this.plenary?.destroy();
    this.control?.destroy();
    this.rooms = [];
  }

  #openPlenary(): void {
    if (this.plenary || !this.workshop || !this.#token) return;
    this.plenary = new RoomSync({
      workshopId: this.workshop.id,
      roomId: PLENARY_ROOM_ID,
      token: this.#token,
      user: this.#presence,
      publishPresence: false
    });
  }

  #failWith(message: string): void {
    this.phase = 'failed';
    this.error = message;
  }
}
