import type { Browser } from '@playwright/test';
import { expectConnected, openBrowserFor, type Person } from './goldthread';
import type { Joined } from './facilitation';

/**
 * A joined participant's browser on their room page, like `openParticipant`, whose stored
 * session survives the tab being closed and a new one opened: the new tab starts on
 * about:blank, where storage cannot be touched, so the set-up script skips that page.
 */
export async function openReturningParticipant(browser: Browser, baseURL: string, joined: Joined): Promise<Person> {
  const person = await openBrowserFor(browser, baseURL);
  await person.context.addInitScript(
    ([key, session]) => {
      if (location.protocol !== 'http:' && location.protocol !== 'https:') return;
      if (!window.localStorage.getItem(key)) window.localStorage.setItem(key, session);
    },
    [`goldthread:participant:${joined.workshopId}`, JSON.stringify(joined)] as const
  );
  await person.page.goto(`/w/${joined.workshopId}/r/${joined.roomId}`);
  await expectConnected(person.page);
  return person;
}
