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
  /** The room could not be loaded (its file is broken); other rooms are unaffected. */
  unavailable: 4503
} as const;

export type CloseCode = (typeof CLOSE_CODES)[keyof typeof CLOSE_CODES];

/**
 * Whether reconnecting after this close can help. Stock y-websocket gives up on every 44xx
 * code; of Goldthread's, a refused message (4400: a fresh sync puts it right) and a rate limit
 * (4429) are worth another try after the back-off, while 4401, 4403, 4410 and 4413 are final.
 */
export function isTransientClose(code: number): boolean {
  return code < 4400 || code >= 4500 || code === CLOSE_CODES.badMessage || code === CLOSE_CODES.rateLimited;
}
