/** Size limits enforced by the server and mirrored by the web forms (maxlength). */
export const LIMITS = {
  workshopTitle: 200,
  participantName: 80,
  cardText: 1000,
  roomName: 60,
  boardTitle: 120,
  boardPrompt: 500,
  boardKind: 40,
  roomsPerWorkshop: 20,
  boardsPerWorkshop: 12,
  joinCode: 12,
  /** Largest request body the HTTP API accepts. */
  httpBodyBytes: 256 * 1024,
  /** Largest single Yjs websocket message. */
  yjsMessageBytes: 1024 * 1024
} as const;
