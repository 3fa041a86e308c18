import {
  listSnapshots,
  restoreSnapshot,
  takeSnapshot,
  viewSnapshot,
  type SnapshotReason,
  type SnapshotSummary,
  type SnapshotView
} from '$lib/facilitator-api';
import type { ControlChannel } from './control.svelte';
import type { Feedback } from './facilitator-console.svelte';

/** The server adds entries of its own (every ten minutes, at each stage): the timeline is read again this often. */
const REFRESH_MS = 60_000;
/** A stage's entry is saved just after the change is announced; the timeline is read again this long after. */
const AFTER_STAGE_CHANGE_MS = 1500;

/** Why an entry is on the timeline, in plain words. */
export const SNAPSHOT_REASONS: Record<SnapshotReason, string> = {
  manual: 'Saved by you',
  auto: 'Saved automatically',
  phase: 'Saved when a board changed stage',
  end: 'Saved at the end of the session',
  'before-restore': 'Saved just before a restore'
};

export interface SnapshotTimelineOptions {
  workshopId: string;
  token: string;
  /** Tells the console's status line what happened. */
  report: (feedback: Feedback) => void;
}

/**
 * The workshop's timeline of snapshots, newest first: saving one, opening one read-only
 * (the live boards are not touched), and restoring one (the server saves the current state
 * first, so a restore can itself be undone).
 */
export class SnapshotTimeline {
  /** Newest first; null until first loaded. */
  entries = $state.raw<SnapshotSummary[] | null>(null);
  /** The entry being looked at, read-only. */
  opened = $state.raw<SnapshotView | null>(null);
  /** What is in flight: `save`, `open:<id>`, `restore:<id>` or `load`. */
  busy = $state<string | null>(null);
  loadError = $state<string | null>(null);

  readonly #options: SnapshotTimelineOptions;
  #stop: (() => void) | null = null;

  constructor(options: SnapshotTimelineOptions) {
    this.#options = options;
  }

  /** Keeps the timeline current: shortly after any board changes stage, and every minute. */
  start(control: ControlChannel): void {
    const timer = setInterval(() => void this.refresh(), REFRESH_MS);
    let pending: ReturnType<typeof setTimeout> | undefined;
    let seen: string | null = null;
    const stopEffects = $effect.root(() => {
      $effect(() => {
        const stages = control.state?.boards.map((board) => `${board.boardId}:${board.phase}`).join(',') ?? null;
        if (stages === null) return;
        if (seen !== null && stages !== seen) {
          clearTimeout(pending);
          pending = setTimeout(() => void this.refresh(), AFTER_STAGE_CHANGE_MS);
        }
        seen = stages;
      });
    });
    this.#stop = () => {
      clearInterval(timer);
      clearTimeout(pending);
      stopEffects();
    };
  }

  destroy(): void {
    this.#stop?.();
    this.#stop = null;
  }

  async refresh(): Promise<void> {
    const { workshopId, token } = this.#options;
    const listed = await listSnapshots(workshopId, token);
    if (!listed.ok) {
      this.loadError = listed.error.message;
      return;
    }
    this.loadError = null;
    this.entries = [...listed.data].sort((a, b) => b.createdAt - a.createdAt);
  }

  async save(label: string): Promise<boolean> {
    const { workshopId, token, report } = this.#options;
    this.busy = 'save';
    try {
      const taken = await takeSnapshot(workshopId, token, label.trim() || undefined);
      if (!taken.ok) {
        report({ kind: 'problem', text: taken.error.message });
        return false;
      }
      report({ kind: 'done', text: `Snapshot saved: ${taken.data.label} (${cardCount(taken.data.cardCount)}).` });
      await this.refresh();
      return true;
    } finally {
      this.busy = null;
    }
  }

  async open(snapshotId: string): Promise<void> {
    const { workshopId, token, report } = this.#options;
    this.busy = `open:${snapshotId}`;
    try {
      const viewed = await viewSnapshot(workshopId, token, snapshotId);
      if (viewed.ok) this.opened = viewed.data;
      else report({ kind: 'problem', text: viewed.error.message });
    } finally {
      this.busy = null;
    }
  }

  close(): void {
    this.opened = null;
  }

  /** Brings every room back to a snapshot; the state just before is saved on the timeline first. */
  async restore(snapshotId: string): Promise<boolean> {
    const { workshopId, token, report } = this.#options;
    this.busy = `restore:${snapshotId}`;
    try {
      const restored = await restoreSnapshot(workshopId, token, snapshotId);
      if (!restored.ok) {
        report({ kind: 'problem', text: restored.error.message });
        return false;
      }
      report({
        kind: 'done',
        text: `Restored “${restored.data.restored.label}”. What was there before is saved on the timeline as “${restored.data.safety.label}”.`
      });
      if (this.opened?.id === snapshotId) this.opened = null;
      await this.refresh();
      return true;
    } finally {
      this.busy = null;
    }
  }
}

export function cardCount(count: number): string {
  return `${count} ${count === 1 ? 'card' : 'cards'}`;
}
