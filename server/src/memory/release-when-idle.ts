import { Session } from 'node:inspector';
import type { Logger } from '../logger.js';

/**
 * V8's most thorough collection, the one that also shrinks the heap and gives its pages back
 * (what DevTools' "collect garbage" does), through an in-process inspector session: no port is
 * opened. A plain full collection leaves the heap at its high-water size. Null where Node was
 * built without the inspector.
 */
function heapShrinker(): (() => Promise<void>) | null {
  let session: Session;
  try {
    session = new Session();
  } catch {
    return null;
  }
  return () =>
    new Promise<void>((resolve) => {
      try {
        session.connect();
      } catch {
        resolve();
        return;
      }
      const done = () =>
        // Disconnecting inside the session's own callback stalls Node 20's timers: leave it first.
        setImmediate(() => {
          session.disconnect();
          resolve();
        });
      try {
        session.post('HeapProfiler.collectGarbage', done);
      } catch {
        done();
      }
    });
}

/** Time for V8 to finish sweeping (and free the buffers it found dead) after the collection. */
const SWEEP_WAIT_MS = 1000;

export interface IdleMemoryRelease {
  /** The last loaded room has just unloaded: collect soon, unless a room loads first. */
  allRoomsUnloaded(): void;
  close(): void;
}

/**
 * Gives memory back once the server has nothing loaded. An idle process never runs a major
 * collection by itself, and an ordinary one keeps the heap at its high-water size, so after a
 * busy workshop the server would hold tens of MB (70 MiB for 600 rooms) until the next burst of
 * work. One thorough collection, a few seconds after the last room unloads, costs some tens of
 * ms of a server that has nothing else to do.
 */
export function releaseMemoryWhenIdle(options: { delayMs: number; roomsLoaded: () => number; logger: Logger }): IdleMemoryRelease {
  const collect = heapShrinker();
  if (!collect) options.logger.warn('Node has no inspector here: an idle server keeps its peak heap');
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  return {
    allRoomsUnloaded() {
      if (!collect || timer || closed) return;
      timer = setTimeout(async () => {
        if (options.roomsLoaded() > 0) {
          timer = null;
          return;
        }
        const before = process.memoryUsage.rss();
        await collect();
        if (closed) return;
        // V8's sweeper frees what the collection found dead a moment later: report after it.
        timer = setTimeout(() => {
          timer = null;
          const mib = (bytes: number) => (bytes / 1048576).toFixed(0);
          const now = process.memoryUsage();
          options.logger.info(`no rooms loaded: ${mib(before)} → ${mib(now.rss)} MiB resident, V8 heap ${mib(now.heapTotal)} MiB`);
        }, SWEEP_WAIT_MS);
        timer.unref();
      }, options.delayMs);
      timer.unref();
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
    }
  };
}
