/** Size limits enforced by the server and mirrored by the web forms (maxlength). */
export const LIMITS = {
  workshopTitle: 200,
  participantName: 80,
  organisation: 120,
  cardText: 1000,
  roomName: 60,
  boardTitle: 120,
  boardPrompt: 500,
  boardKind: 40,
  roomsPerWorkshop: 20,
  boardsPerWorkshop: 12,
  joinCode: 12,
  cardsPerBoard: 500,
  /** Workshop details: a venue or a host, one facilitator's or partner's name, the purpose. */
  venue: 200,
  personName: 120,
  purpose: 2000,
  facilitatorsPerWorkshop: 20,
  partnersPerWorkshop: 50,
  linksPerWorkshop: 20,
  linkTitle: 200,
  linkUrl: 2000,
  /** Largest request body the HTTP API accepts. */
  httpBodyBytes: 256 * 1024,
  /** Largest single Yjs websocket message. */
  yjsMessageBytes: 1024 * 1024,
  /** Largest a room's document may grow (500 full cards on each of 12 boards is under 10 MiB). */
  roomDocumentBytes: 16 * 1024 * 1024
} as const;

/** Rates the server enforces, each answered with a clear `rate_limited` error. */
export const RATES = {
  /** Wrong join codes per IP: a burst, then one a second — guessing one of 887 million codes is hopeless. */
  failedJoinsBurst: 20,
  failedJoinsPerSecond: 1 / 6,
  /** Yjs messages per connection. */
  yjsMessagesBurst: 300,
  yjsMessagesPerSecond: 100,
  /** Awareness (presence, cursors) updates per connection. */
  awarenessBurst: 20,
  awarenessPerSecond: 10,
  /** Largest awareness update one connection may publish. */
  awarenessBytes: 8 * 1024
} as const;
