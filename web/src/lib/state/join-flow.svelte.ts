import { LIMITS, normaliseJoinCode, type JoinLookupResponse, type Room } from '@goldthread/shared';
import { joinWorkshop, lookUpJoinCode } from '$lib/api';
import { recallName, saveParticipantSession } from '$lib/storage';

export interface JoinFieldErrors {
  code?: string;
  name?: string;
  room?: string;
}

/** Where to go once joined. */
export function roomPath(workshopId: string, roomId: string): string {
  return `/w/${encodeURIComponent(workshopId)}/r/${encodeURIComponent(roomId)}`;
}

/**
 * The home page's join journey: code and name, then (for workshops with several rooms)
 * a choice of room, then a stored participant session.
 */
export class JoinFlow {
  code = $state('');
  name = $state('');
  /** The workshop the code led to, once looked up. */
  workshop = $state.raw<JoinLookupResponse | null>(null);
  roomId = $state('');
  busy = $state(false);
  /** A problem with the whole request, shown in an alert. */
  error = $state<string | null>(null);
  fieldErrors = $state<JoinFieldErrors>({});

  constructor(code = '') {
    this.code = code;
    this.name = recallName();
  }

  /** Rooms to choose from, or null while the workshop has not been looked up or has one room. */
  get roomChoice(): Room[] | null {
    const rooms = this.workshop?.rooms ?? [];
    return rooms.length > 1 ? rooms : null;
  }

  /** The code changed: any room list shown belongs to the old code. */
  codeChanged(): void {
    this.workshop = null;
    this.roomId = '';
  }

  /**
   * Step one ("Join"). Resolves to the room page's path when joined straight away, or null
   * when the person must choose a room first or something needs fixing.
   */
  async submitDetails(): Promise<string | null> {
    if (!this.#validateDetails()) return null;
    this.busy = true;
    this.error = null;
    try {
      const lookup = await lookUpJoinCode(this.code);
      if (!lookup.ok) {
        this.#fail(lookup.status === 404 ? 'code' : null, lookup.error.message);
        return null;
      }
      this.workshop = lookup.data;
      const rooms = lookup.data.rooms;
      if (rooms.length > 1) {
        if (!rooms.some((room) => room.id === this.roomId)) this.roomId = '';
        return null;
      }
      return await this.#join(rooms[0]?.id);
    } finally {
      this.busy = false;
    }
  }

  /** Step two ("Join room"). Resolves to the room page's path, or null. */
  async submitRoom(): Promise<string | null> {
    if (!this.#validateDetails()) return null;
    if (!this.roomId) {
      this.fieldErrors = { room: 'Choose the room you are in.' };
      return null;
    }
    this.busy = true;
    this.error = null;
    try {
      return await this.#join(this.roomId);
    } finally {
      this.busy = false;
    }
  }

  async #join(roomId: string | undefined): Promise<string | null> {
    const name = this.name.trim();
    const joined = await joinWorkshop({ code: this.code, name, ...(roomId ? { roomId } : {}) });
    if (!joined.ok) {
      this.#fail(joined.status === 404 ? 'code' : null, joined.error.message);
      return null;
    }
    const { workshopId, roomId: joinedRoom, participantId, token } = joined.data;
    saveParticipantSession({ workshopId, roomId: joinedRoom, participantId, token, name });
    return roomPath(workshopId, joinedRoom);
  }

  #validateDetails(): boolean {
    const errors: JoinFieldErrors = {};
    const code = normaliseJoinCode(this.code);
    if (!code) errors.code = 'Enter the join code shown by your facilitator.';
    else if (code.length > LIMITS.joinCode) errors.code = 'That join code is too long. Check it and try again.';
    if (!this.name.trim()) errors.name = 'Enter your name.';
    this.fieldErrors = errors;
    return Object.keys(errors).length === 0;
  }

  #fail(field: 'code' | null, message: string): void {
    if (field) {
      this.fieldErrors = { [field]: message };
      this.codeChanged();
    } else {
      this.error = message;
    }
  }
}
