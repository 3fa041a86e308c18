/** Bumped whenever the wire protocol (HTTP, Socket.IO or Yjs document model) changes incompatibly. */
export const PROTOCOL_VERSION = 1;
