/**
 * Why the server closed a Yjs websocket. 4xxx codes mirror HTTP statuses; the close
 * reason carries a short `{"error":{"code","message"}}` JSON body.
 */
export const CLOSE_CODES = {
  /** The server is shutting down or restarting; reconnect in a moment. */
  serverRestarting: 1012,
  /** A message could not be decoded; nothing was applied. */
  badMessage: 4400,
  /** The token is missing, wrong or expired. */
  unauthorized: 4401,
  /** The token does not give access to this document. */
  forbidden: 4403,
  /** The workshop was deleted (by its facilitator, or at the end of its retention period); it is gone for good. */
  workshopDeleted: 4410,
  /** A message or the document grew past a limit. */
  tooLarge: 4413,
  /** Too many messages in too short a time. */
  rateLimited: 4429,
  /**
   * This token (or this address) already has as many connections open as it may (see
   * CONNECTION_LIMITS); closing another tab or device frees one.
   */
  tooManyConnections: 4430,
  /** The room could not be loaded (its file is broken); other rooms are unaffected. */
  unavailable: 4503
} as const;

export type CloseCode = (typeof CLOSE_CODES)[keyof typeof CLOSE_CODES];

/**
 * Whether reconnecting after this close can help. Stock y-websocket gives up on every 44xx
 * code; of Goldthread's, a refused message (4400: a fresh sync puts it right), a rate limit
 * (4429) and a connection cap (4430: another tab may have closed since) are worth another try
 * after the back-off, while 4401, 4403, 4410 and 4413 are final.
 */
export function isTransientClose(code: number): boolean {
  return (
    code < 4400 ||
    code >= 4500 ||
    code === CLOSE_CODES.badMessage ||
    code === CLOSE_CODES.rateLimited ||
    code === CLOSE_CODES.tooManyConnections
  );
}

/**
 * Goldthread's own message type on the Yjs websocket, beside y-websocket's sync (0), awareness (1),
 * auth (2) and query-awareness (3): the server refused the sender's last change. The payload is
 * one varString, `{"error":{"code","message"}}`; it goes to the sending connection alone, right
 * after the sync update that withdraws the change from its copy. The connection stays open.
 * Stock y-websocket clients ignore the type (they log "Unable to compute message").
 */
export const YJS_REFUSAL_MESSAGE = 5;
