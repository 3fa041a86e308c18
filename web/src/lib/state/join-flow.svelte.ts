import { LIMITS, normaliseJoinCode, type JoinLookupResponse, type Room, type Sector } from '@goldthread/shared';
import { recallAboutMe, rememberAboutMe } from '$lib/about-me';
import { joinWorkshop, lookUpJoinCode } from '$lib/api';
import { loadParticipantSession, recallName, saveParticipantSession, type ParticipantSession } from '$lib/storage';

export interface JoinFieldErrors {
  code?: string;
  name?: string;
  organisation?: string;
  room?: string;
}

/** Someone who already joined this workshop in this browser, and the room they are in. */
export interface ReturningPerson {
  session: ParticipantSession;
  roomName: string;
  title: string;
}

const sameName = (a: string, b: string) => a.trim().localeCompare(b.trim(), 'en-GB', { sensitivity: 'base' }) === 0;

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
  /** Optional: where the person works, for comparing results without names. */
  organisation = $state('');
  /** Optional: one of SECTORS, or '' for not saying. */
  sector = $state<Sector | ''>('');
  /** This browser already joined the workshop of the code: offered to carry on as that person. */
  returning = $state.raw<ReturningPerson | null>(null);
  /** The workshop the code led to, once looked up. */
  workshop = $state.raw<JoinLookupResponse | null>(null);
  /** The workshop the code as typed leads to, looked up early so the form can say what is recorded. */
  preview = $state.raw<JoinLookupResponse | null>(null);
  /** "This is a shared computer": keep nothing in this browser. */
  sharedComputer = $state(false);
  roomId = $state('');
  busy = $state(false);
  /** A problem with the whole request, shown in an alert. */
  error = $state<string | null>(null);
  fieldErrors = $state<JoinFieldErrors>({});

  constructor(code = '') {
    this.code = code;
    this.name = recallName();
    const about = recallAboutMe();
    this.organisation = about.organisation;
    this.sector = about.sector;
  }

  /**
   * Looks up the code to see whether this browser already joined its workshop (e.g. a person
   * following the join link again after closing the tab). Quiet: problems are for the form.
   */
  async findReturning(): Promise<void> {
    if (!normaliseJoinCode(this.code)) return;
    const lookup = await lookUpJoinCode(this.code);
    if (!lookup.ok) return;
    this.preview = lookup.data;
    this.returning = this.#returningTo(lookup.data);
  }

  /** Looks the typed code up quietly, so the form can say what the workshop records before anyone types a name. */
  async previewCode(): Promise<void> {
    const code = normaliseJoinCode(this.code);
    if (!code || code.length > LIMITS.joinCode) return;
    if (this.preview) return;
    const lookup = await lookUpJoinCode(code);
    if (normaliseJoinCode(this.code) !== code) return;
    this.preview = lookup.ok ? lookup.data : null;
  }

  /** Where the returning person's room is. */
  get returningPath(): string | null {
    return this.returning ? roomPath(this.returning.session.workshopId, this.returning.session.roomId) : null;
  }

  /** Rooms to choose from, or null while the workshop has not been looked up or has one room. */
  get roomChoice(): Room[] | null {
    const rooms = this.workshop?.rooms ?? [];
    return rooms.length > 1 ? rooms : null;
  }

  /** The code changed: any room list shown belongs to the old code. */
  codeChanged(): void {
    this.workshop = null;
    this.preview = null;
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
      // The same name in a browser that already joined is the same person: they carry on with
      // their own cards, votes and "I'm done", instead of arriving as a stranger.
      const returning = this.#returningTo(lookup.data);
      if (returning && sameName(returning.session.name, this.name)) {
        this.#rememberDetails();
        return roomPath(returning.session.workshopId, returning.session.roomId);
      }
      this.workshop = lookup.data;
      this.preview = lookup.data;
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
    const organisation = this.organisation.trim();
    const joined = await joinWorkshop({
      code: this.code,
      name,
      ...(roomId ? { roomId } : {}),
      ...(organisation ? { organisation } : {}),
      ...(this.sector ? { sector: this.sector } : {})
    });
    if (!joined.ok) {
      this.#fail(joined.status === 404 ? 'code' : null, joined.error.message);
      return null;
    }
    const { workshopId, roomId: joinedRoom, participantId, token } = joined.data;
    saveParticipantSession({ workshopId, roomId: joinedRoom, participantId, token, name, ...(this.sharedComputer && { sharedComputer: true }) });
    this.#rememberDetails();
    return roomPath(workshopId, joinedRoom);
  }

  #returningTo(workshop: JoinLookupResponse): ReturningPerson | null {
    const session = loadParticipantSession(workshop.workshopId);
    const room = session && workshop.rooms.find((candidate) => candidate.id === session.roomId);
    return session && room ? { session, roomName: room.name, title: workshop.title } : null;
  }

  #rememberDetails(): void {
    if (this.sharedComputer) return;
    rememberAboutMe({ organisation: this.organisation.trim(), sector: this.sector });
  }

  #validateDetails(): boolean {
    const errors: JoinFieldErrors = {};
    const code = normaliseJoinCode(this.code);
    if (!code) errors.code = 'Enter the join code shown by your facilitator.';
    else if (code.length > LIMITS.joinCode) errors.code = 'That join code is too long. Check it and try again.';
    if (!this.name.trim()) errors.name = 'Enter your name.';
    if (this.organisation.trim().length > LIMITS.organisation) {
      errors.organisation = `Use at most ${LIMITS.organisation} characters for your organisation.`;
    }
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
