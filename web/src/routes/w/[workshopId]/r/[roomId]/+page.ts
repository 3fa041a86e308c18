import type { Room, WorkshopView } from '@goldthread/shared';
import { getWorkshop } from '$lib/api';
import { loadParticipantSession, type ParticipantSession } from '$lib/storage';
import type { PageLoad } from './$types';

// The participant's token lives in this browser's storage, so the page is built here.
export const ssr = false;

export type RoomPageState =
  | { state: 'no-session' }
  | { state: 'other-room'; session: ParticipantSession }
  | { state: 'failed'; message: string; rejoin: boolean }
  | { state: 'ready'; session: ParticipantSession; workshop: WorkshopView; room: Room };

export const load = (async ({ params, fetch }): Promise<RoomPageState> => {
  const session = loadParticipantSession(params.workshopId);
  if (!session) return { state: 'no-session' };
  if (session.roomId !== params.roomId) return { state: 'other-room', session };

  const result = await getWorkshop(params.workshopId, session.token, fetch);
  if (!result.ok) {
    const rejoin = result.status === 401 || result.status === 403 || result.status === 404;
    const message =
      result.status === 401 || result.status === 403
        ? 'Your place in this workshop has expired. Please join again with the code.'
        : result.status === 404
          ? 'We could not find this workshop. It may have been closed.'
          : result.error.message;
    return { state: 'failed', message, rejoin };
  }
  const room = result.data.rooms.find((candidate) => candidate.id === params.roomId);
  if (!room) return { state: 'failed', message: 'This room is not part of the workshop any more.', rejoin: true };
  return { state: 'ready', session, workshop: result.data, room };
}) satisfies PageLoad;
