import type { StoredParticipant } from './types.js';

/** What stays of a participant whose personal data was erased: no name, no organisation; room and sector for head-counts. */
export function erasedParticipant(participant: StoredParticipant): StoredParticipant {
  return {
    id: participant.id,
    name: '',
    roomId: participant.roomId,
    joinedAt: participant.joinedAt,
    ...(participant.sector !== undefined && { sector: participant.sector }),
    ...(participant.proxy && { proxy: true }),
    erased: true
  };
}
