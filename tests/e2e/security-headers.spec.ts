import { expect, test, serverForThisFile } from './support/fixtures';
import { addCard, boardCards, createWorkshop, expectConnected, joinRoom, openBrowserFor } from './support/goldthread';

const server = serverForThisFile();

test('every page is served under a Content-Security-Policy the app really works under', async ({ browser, people }) => {
  const facilitator = await openBrowserFor(browser, server.url);
  const participant = await openBrowserFor(browser, server.url);
  people.push(facilitator, participant);
  const violations: string[] = [];
  for (const person of [facilitator, participant]) {
    // Record every CSP violation the page reports, from the very first script on.
    await person.context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        (window as unknown as { __violations: string[] }).__violations ??= [];
        (window as unknown as { __violations: string[] }).__violations.push(`${event.violatedDirective} ${event.blockedURI}`);
      });
    });
    person.page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
  }

  const home = await facilitator.page.goto('/');
  const policy = home?.headers()['content-security-policy'] ?? '';
  expect(policy).toContain("default-src 'self'");
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).toMatch(/script-src 'self' 'nonce-[^']+'/);
  expect(home?.headers()['x-content-type-options']).toBe('nosniff');

  const { joinCode } = await createWorkshop(facilitator.page, 'Headers check');
  await expectConnected(facilitator.page);
  await joinRoom(participant.page, joinCode, 'Priya', 'Central');
  await addCard(participant.page, 'Priorities', 'Works under the policy');
  await expect(boardCards(participant.page, 'Priorities')).toHaveText([/Works under the policy/]);

  for (const person of [facilitator, participant]) {
    violations.push(...(await person.page.evaluate(() => (window as unknown as { __violations?: string[] }).__violations ?? [])));
  }
  expect(violations).toEqual([]);

  const api = await participant.page.request.get('/api/health');
  expect(api.headers()['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
  expect(api.headers()['x-powered-by']).toBeUndefined();
});
