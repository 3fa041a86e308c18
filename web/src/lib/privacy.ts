import { longDate, type JoinLookupResponse } from '@goldthread/shared';

/**
 * What the join screen tells people before they type their name: what is recorded of them,
 * who will see it and for how long. Without a looked-up workshop, where to find out.
 */
export function privacySentences(workshop: JoinLookupResponse | null): string[] {
  if (!workshop) {
    return ['Once you enter the join code, this page tells you what the workshop records about you, who will see it and for how long.'];
  }
  const recorded = {
    named: 'Your name is shown on your cards, and kept with them in the workshop’s notes.',
    organisation:
      'Your cards are kept in the workshop’s notes with your organisation and sector, if you give them, but never your name.',
    anonymous: 'Your cards are kept in the workshop’s notes without your name, organisation or sector.'
  }[workshop.privacy.attribution];
  return [
    recorded,
    'While you are in the room, the people in it and the facilitator see your name.',
    'The facilitator keeps the notes and may share them with everyone who took part.',
    `The workshop’s record is due to be deleted after ${longDate(workshop.privacy.keptUntil)}.`
  ];
}

/** "Thursday 11 March 2027, 10:00 to 12:30, Riverside Community Centre". */
export function whenAndWhere(details: JoinLookupResponse['details']): string {
  const date = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(
    new Date(`${details.date}T00:00:00Z`)
  );
  const time =
    details.startTime && details.endTime
      ? `${details.startTime} to ${details.endTime}`
      : details.startTime
        ? `from ${details.startTime}`
        : details.endTime
          ? `until ${details.endTime}`
          : '';
  return [date, time, details.venue].filter(Boolean).join(', ');
}
