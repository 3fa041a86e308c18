import * as Y from 'yjs';

/** The server's own change to a document, which can be taken back while nobody has been told it was saved. */
export interface RevertibleEdit<T> {
  result: T;
  /** Whether `run` changed the document at all. */
  changed: boolean;
  /** Undoes what `run` changed (the undo is a change like any other: sent to peers and journaled). */
  revert(): void;
  /** Stops being able to revert; call once the change is durable or reverted. */
  forget(): void;
}

/**
 * Runs `run` and records what it changes in `doc` — the server's own transactions, which carry
 * no origin — so that a change which could not be made durable is not kept.
 */
export function revertibleEdit<T>(doc: Y.Doc, run: () => T): RevertibleEdit<T> {
  let recording = true;
  let changed = false;
  const onUpdate = () => {
    if (recording) changed = true;
  };
  const undo = new Y.UndoManager(doc, { trackedOrigins: new Set([null]), captureTimeout: 0, captureTransaction: () => recording });
  const forget = () => {
    doc.off('update', onUpdate);
    undo.destroy();
  };
  doc.on('update', onUpdate);
  let result: T;
  try {
    result = run();
  } catch (error) {
    forget();
    throw error;
  } finally {
    recording = false;
  }
  return {
    result,
    changed,
    revert: () => {
      while (undo.canUndo()) undo.undo();
    },
    forget
  };
}
