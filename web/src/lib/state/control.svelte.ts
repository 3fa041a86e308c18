import { io, type Socket } from 'socket.io-client';
import { createContext } from 'svelte';
import {
  SOCKET_PATH,
  isErrorBody,
  type Ack,
  type BoardControl,
  type ChangeRefused,
  type ClientToServerEvents,
  type CommandName,
  type CommandPayload,
  type CommandReply,
  type ControlSnapshot,
  type ControlState,
  type DoneCounts,
  type ErrorCode,
  type MyVotes,
  type Outcome,
  type PrivateCounts,
  type ServerToClientEvents,
  type SessionInfo,
  type VoteResults
} from '@goldthread/shared';
import { ServerClock } from '$lib/clock';

/** How the control channel looks to a person. */
export type ControlConnection = 'connecting' | 'connected' | 'reconnecting' | 'refused';

/** A refused command, carrying the server's message (safe to show as it is). */
export class CommandError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

type ControlSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Commands that answer with something other than the new control state. */
const REPLIES_OTHER_THAN_STATE: ReadonlySet<CommandName> = new Set([
  'session:get',
  'control:get',
  'vote:cast',
  'vote:retract',
  'participant:done',
  'plenary:combine',
  'themes:compare',
  'outcome:add',
  'outcome:update',
  'outcome:remove',
  'outcome:carry'
]);

const COMMAND_TIMEOUT_MS = 10_000;
const OFFLINE_MESSAGE = 'You are not connected right now. Wait for the connection to come back and try again.';
const TIMEOUT_MESSAGE = 'The server did not answer in time. Check your connection and try again.';

const byBoard = <T extends { boardId: string }>(items: T[]): Record<string, T> =>
  Object.fromEntries(items.map((item) => [item.boardId, item]));

/**
 * The Socket.IO control channel of one screen: the facilitator's decisions (phases, locks,
 * timer, spotlight, votes) as reactive state, and typed commands acknowledged by the server.
 * It asks for the whole state again after every reconnect, so nothing is missed.
 */
export class ControlChannel {
  /** The latest control state (null until the first copy arrives). */
  state = $state.raw<ControlState | null>(null);
  /** The caller's own dots, by board (participants only). */
  myVotes = $state.raw<Record<string, MyVotes>>({});
  /** Vote results the caller has been sent, by board. */
  results = $state.raw<Record<string, VoteResults>>({});
  /** "I'm done" counts per room, by board (facilitator only). */
  doneCounts = $state.raw<Record<string, DoneCounts>>({});
  /** Private cards written so far per room, by board (facilitator only). */
  privateCounts = $state.raw<Record<string, PrivateCounts>>({});
  /** Participants connected per room (facilitator only). */
  roomCounts = $state.raw<Record<string, number>>({});
  connection = $state<ControlConnection>('connecting');
  /** Why the server refused this screen, when it did. */
  refusal = $state<string | null>(null);
  /** Set when the server said it is restarting; cleared on reconnecting. */
  restarting = $state(false);
  /** Boards on which this participant said "I'm done", as the server keeps them (survives reloads and rejoins). */
  myDone = $state.raw<ReadonlySet<string>>(new Set());
  /** The workshop's decisions and actions, oldest first, as every screen sees them. */
  outcomes = $state.raw<Outcome[]>([]);

  readonly clock = new ServerClock();
  readonly #socket: ControlSocket;
  readonly #refusalListeners = new Set<(refusal: ChangeRefused) => void>();

  constructor(token: string) {
    this.#socket = io({ path: SOCKET_PATH, auth: { token }, transports: ['websocket', 'polling'] });
    const socket = this.#socket;
    socket.on('connect', this.#onConnect);
    socket.on('disconnect', () => {
      if (this.connection !== 'refused') this.connection = 'reconnecting';
    });
    socket.on('connect_error', (error: Error & { data?: unknown }) => {
      // A refused handshake is final; a network failure is retried by socket.io itself.
      if (!socket.active) {
        this.connection = 'refused';
        this.refusal = isErrorBody(error.data) ? error.data.error.message : 'The server did not let this screen in.';
      } else if (this.connection === 'connected') {
        this.connection = 'reconnecting';
      }
    });
    socket.on('control:state', (state) => this.#applyState(state, Date.now()));
    socket.on('votes:mine', (votes) => (this.myVotes = { ...this.myVotes, [votes.boardId]: votes }));
    socket.on('votes:results', (results) => (this.results = { ...this.results, [results.boardId]: results }));
    socket.on('done:counts', (counts) => (this.doneCounts = { ...this.doneCounts, [counts.boardId]: counts }));
    socket.on('private:counts', (counts) => (this.privateCounts = { ...this.privateCounts, [counts.boardId]: counts }));
    socket.on('rooms:counts', ({ counts }) => (this.roomCounts = counts));
    socket.on('outcomes:list', ({ outcomes }) => (this.outcomes = outcomes));
    socket.on('server:restarting', () => (this.restarting = true));
    socket.on('change:refused', (refusal) => this.#refusalListeners.forEach((listener) => listener(refusal)));
    window.addEventListener('offline', this.#onOffline);
    window.addEventListener('online', this.#onOnline);
  }

  /** Tells the listener each time the server refuses (and reverts) a change to a board; returns its unsubscribe. */
  onChangeRefused(listener: (refusal: ChangeRefused) => void): () => void {
    this.#refusalListeners.add(listener);
    return () => this.#refusalListeners.delete(listener);
  }

  /** The control of one board, once the state has arrived. */
  board(boardId: string): BoardControl | undefined {
    return this.state?.boards.find((board) => board.boardId === boardId);
  }

  /** Whether participants and the projector may see a board's results now. */
  resultsVisible(boardId: string): boolean {
    const board = this.board(boardId);
    return !!board && (board.resultsShown || this.state?.voting.hideUntilShown === false);
  }

  /** What is left on the shared timer, in ms, at the given local time. */
  timerRemaining(localNow: number = Date.now()): number {
    const timer = this.state?.timer;
    if (!timer) return 0;
    if (timer.running && timer.endsAt !== null) return Math.max(0, timer.endsAt - this.clock.now(localNow));
    return timer.remainingMs;
  }

  /**
   * Sends a command and resolves with the server's answer; a refusal (or no connection)
   * rejects with a CommandError whose message can be shown to the person.
   */
  async command<C extends CommandName>(name: C, payload: CommandPayload<C>): Promise<CommandReply<C>> {
    // Socket.IO would buffer a command sent while offline and deliver it much later; a vote
    // or phase change should not happen behind the person's back, so it is refused now.
    if (!this.#socket.connected) throw new CommandError('unavailable', OFFLINE_MESSAGE);
    const sentAt = Date.now();
    let reply: Ack<CommandReply<C>>;
    try {
      // The per-command generic defeats socket.io's event-map inference; the types above hold.
      const timed = this.#socket.timeout(COMMAND_TIMEOUT_MS) as unknown as {
        emitWithAck(event: C, payload: CommandPayload<C>): Promise<Ack<CommandReply<C>>>;
      };
      reply = await timed.emitWithAck(name, payload);
    } catch {
      throw new CommandError('unavailable', TIMEOUT_MESSAGE);
    }
    if (isErrorBody(reply)) throw new CommandError(reply.error.code, reply.error.message);
    if (!REPLIES_OTHER_THAN_STATE.has(name)) this.#applyState(reply.data as ControlState, Date.now(), sentAt);
    return reply.data;
  }

  /** Who this screen is and the workshop it belongs to. */
  session(): Promise<SessionInfo> {
    return this.command('session:get', {});
  }

  /** Asks for everything again (after connecting or reconnecting). */
  async refresh(): Promise<void> {
    const sentAt = Date.now();
    const snapshot: ControlSnapshot = await this.command('control:get', {});
    this.#applyState(snapshot.state, Date.now(), sentAt, true);
    this.myVotes = byBoard(snapshot.myVotes);
    this.results = byBoard(snapshot.results);
    this.privateCounts = byBoard(snapshot.privateCounts ?? []);
    this.doneCounts = byBoard(snapshot.doneCounts ?? []);
    this.myDone = new Set(snapshot.myDone ?? []);
    this.outcomes = snapshot.outcomes ?? [];
  }

  /** Records a change to "I'm done" that the server acknowledged. */
  setDone(boardId: string, done: boolean): void {
    const next = new Set(this.myDone);
    if (done) next.add(boardId);
    else next.delete(boardId);
    this.myDone = next;
  }

  destroy(): void {
    window.removeEventListener('offline', this.#onOffline);
    window.removeEventListener('online', this.#onOnline);
    this.#refusalListeners.clear();
    this.#socket.removeAllListeners();
    this.#socket.disconnect();
  }

  /**
   * The device lost its network: a socket that still looks open is dead, and a command sent
   * over it would be lost without a word, so the channel closes until the network is back.
   */
  readonly #onOffline = () => {
    if (this.connection === 'refused') return;
    this.#socket.disconnect();
    this.connection = 'reconnecting';
  };

  readonly #onOnline = () => {
    if (this.connection !== 'refused' && !this.#socket.connected) this.#socket.connect();
  };

  readonly #onConnect = () => {
    this.connection = 'connected';
    this.restarting = false;
    this.refusal = null;
    this.refresh().catch(() => {
      // The connection dropped again straight away; the next connect asks again.
    });
  };

  /** Keeps the newest copy; `force` takes a full snapshot even if it looks older (e.g. the server's data was restored). */
  #applyState(state: ControlState, receivedAt: number, sentAt?: number, force = false): void {
    this.clock.observe(state.serverTime, receivedAt, sentAt);
    if (!force && this.state && state.revision < this.state.revision) return;
    this.state = state;
  }
}

const [getControl, setControl, hasControl] = createContext<ControlChannel>();

/**
 * The control channel of this screen, set by the page that opened it (one per page session,
 * never a module-level singleton), read by components deep in the page.
 */
export const controlContext = { get: getControl, set: setControl, has: hasControl };
