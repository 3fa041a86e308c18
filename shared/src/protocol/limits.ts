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

/** Limits on what one participant may put into a room's document (Yjs), beside the room's own caps. */
export const CARD_LIMITS = {
  /** Cards one room's document may hold, over all its boards. */
  cardsPerRoom: 3000,
  /** Cards one participant may have on one board. */
  cardsPerParticipantPerBoard: 200,
  /** New cards one participant's update may bring (an offline device sends what it wrote in one go). */
  newCardsPerUpdate: 50,
  /** Bytes of accepted updates one participant may add to a room's document while it is loaded. */
  participantRoomBytes: 2 * 1024 * 1024,
  /** A participant's new card may claim a time at most this far from the server's clock; further off, the server sets it. */
  clockSkewMs: 10 * 60 * 1000
} as const;

/** Caps on Yjs websocket connections, so one token or one address cannot crowd out everyone else. */
export const CONNECTION_LIMITS = {
  /** Open connections per participant token (each tab opens its room, its private space and the plenary). */
  perParticipantToken: 16,
  /** Open connections per facilitator or projector token (a console opens every room, the plenary and private spaces). */
  perStaffToken: 96,
  /** Open connections from one address (a venue behind one NAT is one address), refused ones still waiting included. */
  perAddress: 2000,
  /** A connection over a cap waits this long before it is closed, so a client retrying in a loop retries slowly. */
  refusalDelayMs: 2000
} as const;

/** Presence (awareness) fan-out per room: bytes sent to all its connections together, per second. */
export const PRESENCE_LIMITS = {
  roomBytesPerSecond: 4 * 1024 * 1024,
  /** What a room may send at once before the rate applies. */
  roomBurstBytes: 4 * 1024 * 1024
} as const;
