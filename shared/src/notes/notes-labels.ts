import type {
  NotesCardEntry,
  NotesDocument,
  NotesPriorityItem,
  NotesRoomMeeting,
  NotesRoomRef,
  NotesThemeEntry,
  NotesTopPriorities
} from './document.js';
import type { AttributionLevel, WorkshopLink } from '../model/workshop.js';

/**
 * Plain-text labels every renderer shares, so the formats say the same thing in the same words.
 * They return raw text (user text included); each renderer escapes the result.
 */

/** "1 vote", "3 votes". */
export function countLabel(count: number, noun: string, plural = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : plural}`;
}

/** "North, Central". */
export function roomsLabel(rooms: NotesRoomRef[]): string {
  return rooms.map((room) => room.label).join(', ');
}

/** True when card and theme lines should say which room they came from. */
export function showsRooms(doc: NotesDocument): boolean {
  return doc.rooms.length > 1;
}

/** "Rank 2 · North · 3 votes", with the author where asked (the appendix). */
export function cardMeta(card: NotesCardEntry, show: { room: boolean; author: boolean }): string {
  const parts: string[] = [];
  if (card.rank !== undefined) parts.push(`Rank ${card.rank}`);
  if (show.room) parts.push(card.room.label);
  if (show.author) parts.push(card.author);
  if (card.proxy) parts.push(PROXY_LABELS.card);
  if (card.votes !== undefined) parts.push(votesLabel(card));
  return parts.join(' · ');
}

/** How entries the facilitator made for someone without a device are marked, in every format. */
export const PROXY_LABELS = {
  card: 'entered by the facilitator for someone without a device',
  votes: (count: number) => `${count} entered by the facilitator`
} as const;

/** "3 votes", or "3 votes (1 entered by the facilitator)". */
export function votesLabel(card: { votes?: number; proxyVotes?: number }): string {
  const votes = countLabel(card.votes ?? 0, 'vote');
  return card.proxyVotes ? `${votes} (${PROXY_LABELS.votes(card.proxyVotes)})` : votes;
}

/** "Rank 1 · 12 votes · 5 cards · North, Central". */
export function themeMeta(theme: NotesThemeEntry, showRooms: boolean): string {
  const parts: string[] = [];
  if (theme.rank !== undefined) parts.push(`Rank ${theme.rank}`);
  if (theme.votes !== undefined) parts.push(countLabel(theme.votes, 'vote'));
  parts.push(countLabel(theme.cards.length, 'card'));
  if (showRooms) parts.push(roomsLabel(theme.rooms));
  return parts.join(' · ');
}

/** "12 votes · 5 cards · North, Central" for one top priority. */
export function priorityMeta(item: NotesPriorityItem, showRooms: boolean): string {
  const parts: string[] = [];
  if (item.votes !== undefined) parts.push(countLabel(item.votes, 'vote'));
  if (item.kind === 'theme') parts.push(countLabel(item.cardCount, 'card'));
  if (showRooms) parts.push(roomsLabel(item.rooms));
  return parts.join(' · ');
}

/** The sentence under "Top priorities" saying how they were chosen. */
export function priorityBasisSentence(top: NotesTopPriorities, severalRooms: boolean): string {
  switch (top.basis) {
    case 'votes':
      if (top.origin === 'plenary') return `Ranked by the plenary vote on the ${top.boardTitle} board.`;
      if (top.origin === 'mixed') {
        return `Ranked by votes on the ${top.boardTitle} board: the plenary vote where one was held, else the rooms' votes.`;
      }
      return `Ranked by votes on the ${top.boardTitle} board.`;
    case 'themes':
      return `No votes were recorded, so the ${top.boardTitle} themes with most cards are listed.`;
    case 'cards': {
      const order = severalRooms ? ', taken from each room in turn' : '';
      return `No votes or themes were recorded, so these are the first ${top.boardTitle} cards posted${order}.`;
    }
  }
}

/** "North: 4 December 2026, Town Hall, hosted by Sam Lee". */
export function roomMeetingLabel(meeting: NotesRoomMeeting): string {
  const parts = [meeting.dateLabel];
  if (meeting.venue) parts.push(meeting.venue);
  if (meeting.host) parts.push(`hosted by ${meeting.host}`);
  return `${meeting.room.label}: ${parts.join(', ')}`;
}

/** "Slides (https://example.org/slides)". */
export function linkLabel(link: WorkshopLink): string {
  return `${link.title} (${link.url})`;
}

/** How people are credited, in one sentence for the notes' header. */
export const ATTRIBUTION_SENTENCES: Record<AttributionLevel, string> = {
  named: 'Cards show their authors’ names.',
  organisation: 'Cards show their authors’ organisation and sector, never names.',
  anonymous: 'Cards are anonymous.'
};

/**
 * The key facts under the title: date, time, venue, facilitators, purpose, partners, material
 * shared, where rooms met apart, the workshops of a series, attendance and attribution.
 */
export function metaLines(doc: NotesDocument): { label: string; value: string }[] {
  const lines = [{ label: 'Date', value: doc.dateLabel }];
  const single = doc.scope.kind === 'series' ? undefined : doc.workshops[0];
  if (single?.timeLabel) lines.push({ label: 'Time', value: single.timeLabel });
  if (single?.venue) lines.push({ label: 'Venue', value: single.venue });
  if (doc.facilitators.length) {
    lines.push({
      label: doc.facilitators.length === 1 ? 'Facilitator' : 'Facilitators',
      value: doc.facilitators.join(', ')
    });
  }
  if (single?.purpose) lines.push({ label: 'Purpose', value: single.purpose });
  if (single?.partners.length) lines.push({ label: 'Partner organisations', value: single.partners.join(', ') });
  if (single?.links.length) lines.push({ label: 'Material shared', value: single.links.map(linkLabel).join('; ') });
  if (doc.scope.kind === 'series') {
    lines.push({
      label: 'Workshops',
      value: doc.workshops.map((w) => `${w.title} (${[w.dateLabel, w.venue].filter(Boolean).join(', ')})`).join('; ')
    });
  }
  const apart = doc.workshops.flatMap((w) => w.roomsApart);
  if (apart.length) lines.push({ label: apart.length === 1 ? 'Room held apart' : 'Rooms held apart', value: apart.map(roomMeetingLabel).join('; ') });
  lines.push({ label: 'Attendance', value: attendanceSentence(doc) });
  const levels = [...new Set(doc.workshops.map((w) => w.attribution).filter((level) => level !== undefined))];
  if (levels.length === 1) lines.push({ label: 'Attribution', value: ATTRIBUTION_SENTENCES[levels[0]!] });
  return lines;
}

function attendanceSentence(doc: NotesDocument): string {
  const { total, byRoom } = doc.attendance;
  const people = countLabel(total, 'person', 'people');
  if (byRoom.length <= 1) return people;
  return `${people} in ${countLabel(byRoom.length, 'room')}`;
}

/** The sentence under a plenary's heading. */
export function plenaryIntro(boardCount: number): string {
  return `Every room's cards on ${boardCount === 1 ? 'this board' : 'these boards'}, combined for the whole workshop; each card names the room it came from.`;
}

/** Short messages for sections with nothing in them. */
export const EMPTY_SECTION_TEXT = {
  board: 'No cards were posted on this board.',
  priorities: 'No priorities were recorded.',
  shared: 'No theme was raised in more than one room.',
  unique: 'Every theme was raised in more than one room.',
  attendance: 'No attendance was recorded.'
} as const;

/** Section headings, shared so every format reads alike. */
export const SECTION_TITLES = {
  attendance: 'Attendance',
  bySector: 'By sector',
  byOrganisation: 'By organisation',
  topPriorities: 'Top priorities',
  crossRoom: 'Across the rooms',
  shared: 'Themes raised in several rooms',
  unique: 'Themes raised in one room',
  actions: 'Actions',
  boardActions: 'Actions on this board',
  otherCards: 'Other cards',
  appendix: 'Appendix: room by room'
} as const;
