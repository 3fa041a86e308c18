import {
  voteKey,
  type BoardControl,
  type ControlState,
  type DoneCounts,
  type MyVotes,
  type Outcome,
  type Phase,
  type Spotlight,
  type TimerState,
  type VoteResults,
  type VotingRules
} from '@goldthread/shared';
import { AppError } from '../errors.js';
import { OutcomeRecord } from './outcomes.js';

/** The saved form of a workshop's control state. */
export interface StoredControl {
  state: Omit<ControlState, 'serverTime'>;
  /** boardId -> participantId -> voteKey -> dots */
  votes: Record<string, Record<string, Record<string, number>>>;
  /** boardId -> participantId -> roomId, for those who said "I'm done" */
  done: Record<string, Record<string, string>>;
  /** Decisions and actions, oldest first (absent in workshops saved before they existed). */
  outcomes?: Outcome[];
}

/** The default control state of a new workshop: boards open for brainstorming. */
export function initialControl(workshopId: string, boardIds: string[]): StoredControl {
  return {
    state: {
      workshopId,
      revision: 0,
      boards: boardIds.map((boardId) => ({
        boardId,
        phase: 'setup',
        private: false,
        revealed: false,
        locked: false,
        resultsShown: false
      })),
      focusBoardId: null,
      spotlight: null,
      timer: { durationMs: 5 * 60_000, running: false, endsAt: null, remainingMs: 5 * 60_000, endedCount: 0 },
      voting: { budget: 3, perCardCap: null, hideUntilShown: true },
      joiningOpen: true,
      notesShared: false,
      plenaryBoardIds: []
    },
    votes: {},
    done: {},
    outcomes: []
  };
}

/**
 * One workshop's server-authoritative control state. Every method checks its preconditions
 * and throws an AppError before changing anything, so a refused command changes nothing.
 */
export class WorkshopControl {
  readonly #stored: StoredControl;
  readonly #now: () => number;
  /** Decisions and actions: saved with the rest, but published on their own event. */
  readonly outcomes: OutcomeRecord;

  constructor(stored: StoredControl, now: () => number = Date.now) {
    // Fields added after a workshop was saved get their defaults.
    stored.state.notesShared ??= false;
    stored.state.plenaryBoardIds ??= [];
    this.#stored = stored;
    this.#now = now;
    this.outcomes = new OutcomeRecord((stored.outcomes ??= []), now, () => this.#changed());
  }

  /** The state as published, stamped with the server's clock. */
  snapshot(): ControlState {
    return { ...structuredClone(this.#stored.state), serverTime: this.#now() };
  }

  /** Increases with every change. */
  get revision(): number {
    return this.#stored.state.revision;
  }

  /** A copy to save. */
  toStored(): StoredControl {
    return structuredClone(this.#stored);
  }

  board(boardId: string): BoardControl {
    const board = this.#stored.state.boards.find((b) => b.boardId === boardId);
    if (!board) throw new AppError('not_found', 'That board is not part of this workshop.');
    return board;
  }

  setPhase(boardId: string, phase: Phase): void {
    const board = this.board(boardId);
    if (board.phase === phase) return;
    board.phase = phase;
    this.#changed();
  }

  setPrivate(boardId: string, isPrivate: boolean): void {
    const board = this.board(boardId);
    if (board.private === isPrivate) return;
    if (board.phase !== 'setup' && board.phase !== 'brainstorm') {
      throw new AppError('conflict', 'Private brainstorm can be switched only before or during the brainstorm.');
    }
    if (!isPrivate && !board.revealed && board.private) {
      throw new AppError('conflict', 'Use Reveal to publish private cards.');
    }
    board.private = isPrivate;
    board.revealed = false;
    this.#changed();
  }

  reveal(boardId: string): void {
    const board = this.board(boardId);
    if (!board.private) throw new AppError('conflict', 'This board is not in private brainstorm.');
    if (board.revealed) return;
    board.revealed = true;
    this.#changed();
  }

  setLocked(boardId: string, locked: boolean): void {
    const board = this.board(boardId);
    if (board.locked === locked) return;
    board.locked = locked;
    this.#changed();
  }

  focus(boardId: string | null): void {
    if (boardId !== null) this.board(boardId);
    this.#stored.state.focusBoardId = boardId;
    this.#changed();
  }

  spotlight(spotlight: Spotlight): void {
    this.#stored.state.spotlight = spotlight;
    this.#changed();
  }

  /** Records that a board has been combined onto the plenary board. */
  markCombined(boardId: string): void {
    this.board(boardId);
    if (this.#stored.state.plenaryBoardIds.includes(boardId)) return;
    this.#stored.state.plenaryBoardIds.push(boardId);
    this.#changed();
  }

  /** Boards on which a participant said "I'm done". */
  doneBoards(participantId: string): string[] {
    return Object.entries(this.#stored.done)
      .filter(([, byParticipant]) => participantId in byParticipant)
      .map(([boardId]) => boardId);
  }

  shareNotes(shared: boolean): void {
    this.#stored.state.notesShared = shared;
    this.#changed();
  }

  get notesShared(): boolean {
    return this.#stored.state.notesShared === true;
  }

  setJoining(open: boolean): void {
    this.#stored.state.joiningOpen = open;
    this.#changed();
  }

  // --- timer ---

  setTimer(durationMs: number): void {
    this.#stored.state.timer = { ...this.#stored.state.timer, durationMs, running: false, endsAt: null, remainingMs: durationMs };
    this.#changed();
  }

  startTimer(): void {
    const timer = this.#timer();
    if (timer.running) return;
    if (timer.remainingMs <= 0) throw new AppError('conflict', 'Set the timer before starting it.');
    timer.running = true;
    timer.endsAt = this.#now() + timer.remainingMs;
    this.#changed();
  }

  pauseTimer(): void {
    const timer = this.#timer();
    if (!timer.running) return;
    timer.remainingMs = Math.max(0, (timer.endsAt ?? this.#now()) - this.#now());
    timer.running = false;
    timer.endsAt = null;
    this.#changed();
  }

  addToTimer(ms: number): void {
    const timer = this.#timer();
    if (timer.running && timer.endsAt !== null) {
      timer.endsAt = Math.max(this.#now(), timer.endsAt + ms);
    } else {
      timer.remainingMs = Math.max(0, timer.remainingMs + ms);
    }
    timer.durationMs = Math.max(0, timer.durationMs + ms);
    this.#changed();
  }

  /** When a running timer will run out, or null. */
  timerEndsAt(): number | null {
    const timer = this.#stored.state.timer;
    return timer.running ? timer.endsAt : null;
  }

  /** Marks a timer that has run out as ended; true when that changed anything. */
  settleTimer(): boolean {
    const timer = this.#timer();
    if (!timer.running || timer.endsAt === null || timer.endsAt > this.#now()) return false;
    timer.running = false;
    timer.endsAt = null;
    timer.remainingMs = 0;
    timer.endedCount += 1;
    this.#changed();
    return true;
  }

  // --- voting ---

  configureVoting(rules: VotingRules): void {
    if (rules.perCardCap !== null && rules.perCardCap > rules.budget) {
      throw new AppError('validation_failed', 'The cap per card cannot be more than the budget.');
    }
    const budgetShrinks = rules.budget < this.#stored.state.voting.budget;
    const anyDots = Object.values(this.#stored.votes).some((byVoter) => Object.values(byVoter).some((cards) => sum(cards) > 0));
    if (budgetShrinks && anyDots) {
      throw new AppError('conflict', 'Votes have been cast: the budget can only grow now.');
    }
    this.#stored.state.voting = { ...rules };
    this.#changed();
  }

  /** Places one dot; refused in the wrong phase, over budget or over the per-card cap. */
  castVote(boardId: string, voterId: string, roomId: string, cardId: string): MyVotes {
    const board = this.board(boardId);
    if (board.phase !== 'vote') throw new AppError('conflict', 'Voting is not open on this board.');
    const rules = this.#stored.state.voting;
    const current = this.#stored.votes[boardId]?.[voterId] ?? {};
    if (sum(current) >= rules.budget) throw new AppError('conflict', `You have used all ${rules.budget} of your votes.`);
    const key = voteKey(roomId, cardId);
    if (rules.perCardCap !== null && (current[key] ?? 0) >= rules.perCardCap) {
      throw new AppError('conflict', `At most ${rules.perCardCap} of your votes can go on one card.`);
    }
    const mine = this.#votesOf(boardId, voterId);
    mine[key] = (mine[key] ?? 0) + 1;
    this.#changed();
    return this.myVotes(boardId, voterId);
  }

  /** Takes back one dot from a card. */
  retractVote(boardId: string, voterId: string, roomId: string, cardId: string): MyVotes {
    const board = this.board(boardId);
    if (board.phase !== 'vote') throw new AppError('conflict', 'Voting is not open on this board.');
    const key = voteKey(roomId, cardId);
    if (!this.#stored.votes[boardId]?.[voterId]?.[key]) throw new AppError('conflict', 'You have no vote on that card.');
    const mine = this.#votesOf(boardId, voterId);
    mine[key] -= 1;
    if (mine[key] === 0) delete mine[key];
    this.#changed();
    return this.myVotes(boardId, voterId);
  }

  /** Records vote counts brought in by an import, as one voter's dots (no budget or phase applies). */
  importVotes(votes: { boardId: string; roomId: string; cardId: string; count: number }[], voterId: string): void {
    for (const { boardId, roomId, cardId, count } of votes) {
      this.board(boardId);
      this.#votesOf(boardId, voterId)[voteKey(roomId, cardId)] = count;
    }
    this.#changed();
  }

  showResults(boardId: string, shown: boolean): void {
    const board = this.board(boardId);
    board.resultsShown = shown;
    this.#changed();
  }

  myVotes(boardId: string, voterId: string): MyVotes {
    const budget = this.#stored.state.voting.budget;
    const cards = { ...(this.#stored.votes[boardId]?.[voterId] ?? {}) };
    const used = sum(cards);
    return { boardId, budget, used, left: Math.max(0, budget - used), cards };
  }

  /** Dots per card, most first (ties in a stable order). */
  results(boardId: string): VoteResults {
    this.board(boardId);
    const totals = new Map<string, number>();
    for (const byCard of Object.values(this.#stored.votes[boardId] ?? {})) {
      for (const [key, dots] of Object.entries(byCard)) totals.set(key, (totals.get(key) ?? 0) + dots);
    }
    const tallies = [...totals]
      .map(([key, votes]) => {
        // Room ids never hold a colon; card ids (written by clients) might.
        const colon = key.indexOf(':');
        return { roomId: key.slice(0, colon), cardId: key.slice(colon + 1), votes };
      })
      .sort((a, b) => b.votes - a.votes || a.roomId.localeCompare(b.roomId) || a.cardId.localeCompare(b.cardId));
    return { boardId, tallies };
  }

  /** Dots per card (by vote key) cast by the voters `include` picks: the record's breakdown of `results`. */
  talliesOf(boardId: string, include: (voterId: string) => boolean): Map<string, number> {
    const totals = new Map<string, number>();
    for (const [voterId, byCard] of Object.entries(this.#stored.votes[boardId] ?? {})) {
      if (!include(voterId)) continue;
      for (const [key, dots] of Object.entries(byCard)) if (dots > 0) totals.set(key, (totals.get(key) ?? 0) + dots);
    }
    return totals;
  }

  /** Whether participants and the projector may see a board's results now. */
  resultsVisible(boardId: string): boolean {
    return this.board(boardId).resultsShown || !this.#stored.state.voting.hideUntilShown;
  }

  // --- "I'm done" ---

  setDone(boardId: string, participantId: string, roomId: string, done: boolean): void {
    this.board(boardId);
    const byParticipant = (this.#stored.done[boardId] ??= {});
    if (done) byParticipant[participantId] = roomId;
    else delete byParticipant[participantId];
    this.#changed();
  }

  doneCounts(boardId: string): DoneCounts {
    const rooms: DoneCounts['rooms'] = {};
    for (const roomId of Object.values(this.#stored.done[boardId] ?? {})) {
      rooms[roomId] = { done: (rooms[roomId]?.done ?? 0) + 1 };
    }
    return { boardId, rooms };
  }

  isDone(boardId: string, participantId: string): boolean {
    return participantId in (this.#stored.done[boardId] ?? {});
  }

  #votesOf(boardId: string, voterId: string): Record<string, number> {
    const byVoter = (this.#stored.votes[boardId] ??= {});
    return (byVoter[voterId] ??= {});
  }

  #timer(): TimerState {
    return this.#stored.state.timer;
  }

  #changed(): void {
    this.#stored.state.revision += 1;
  }
}

function sum(cards: Record<string, number>): number {
  return Object.values(cards).reduce((total, dots) => total + dots, 0);
}
