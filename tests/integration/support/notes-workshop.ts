import { addCard, readCards, type CreateWorkshopRequest, type CreateWorkshopResponse, type JoinResponse } from '@goldthread/shared';
import { api, createWorkshop, facilitatorToken, joinRoom, type TestServer } from './server.js';
import { connectProvider, waitForDoc, within, type ProviderClient } from './yjs-clients.js';
import { connected, controlClient, type ControlClient } from './control-client.js';
import { command, dataOf } from './control-commands.js';

/** Card texts that have broken exports before: separators, quotes, line breaks, formulas, markup, emoji. */
export const AWKWARD = {
  emoji: 'Better bus links to the hospital 🚌',
  commasAndQuotes: 'Affordable housing, not just "affordable" on paper',
  formula: '=SUM(A1)',
  newlines: 'Youth services\nopen evenings\nand weekends',
  script: '<script>alert(1)</script>',
  plus: '+44 20 7946 0000 helpline nobody answers',
  minus: '-5',
  heading: '# not a heading',
  crlf: 'Two lines\r\nfrom Windows, "quoted"',
  at: '@home care for older people',
  quotedComma: 'Tackle loneliness: "no wrong door", one front door',
  markdown: 'A place where *everyone* feels [welcome](http://x.test) | safe_ish & <b>bold</b>',
  accents: 'Café culture; £5 lunches — first time'
} as const;

export type BoardTitle = 'Priorities' | 'Vision' | 'Barriers';

/** A card as every notes format should show it. */
export interface ExpectedCard {
  id: string;
  room: string;
  board: BoardTitle;
  text: string;
  /** The author's name, or "Anonymous". */
  author: string;
  /** Dots on the voted board (0 included); undefined on boards nobody voted on. */
  votes: number | undefined;
}

export interface NotesWorkshop {
  workshop: CreateWorkshopResponse;
  facilitatorToken: string;
  /** Epoch ms, as the server recorded it. */
  createdAt: number;
  /** Participants by name. */
  people: Map<string, JoinResponse>;
  cards: ExpectedCard[];
  /** Closes every client the build opened. */
  close(): void;
}

const PEOPLE = [
  { name: 'Ada Lovelace', room: 'North' },
  { name: "Ben O'Neill", room: 'North' },
  { name: 'Zoë Clarke, Jr.', room: 'Central' },
  { name: 'Dev Patel', room: 'Central' },
  { name: 'Priya Shah', room: 'South' }
] as const;

/** Who writes what where; `anonymous` posts without a name, as the app's "post anonymously" does. */
const PLAN: { by: string; board: BoardTitle; text: string; anonymous?: boolean }[] = [
  { by: 'Ada Lovelace', board: 'Priorities', text: AWKWARD.emoji },
  { by: "Ben O'Neill", board: 'Priorities', text: AWKWARD.commasAndQuotes },
  { by: 'Ada Lovelace', board: 'Priorities', text: AWKWARD.formula, anonymous: true },
  { by: "Ben O'Neill", board: 'Vision', text: AWKWARD.newlines },
  { by: 'Ada Lovelace', board: 'Barriers', text: AWKWARD.script },
  { by: 'Zoë Clarke, Jr.', board: 'Priorities', text: AWKWARD.plus },
  { by: 'Dev Patel', board: 'Priorities', text: AWKWARD.minus },
  { by: 'Zoë Clarke, Jr.', board: 'Vision', text: AWKWARD.heading },
  { by: 'Dev Patel', board: 'Vision', text: AWKWARD.crlf },
  { by: 'Dev Patel', board: 'Barriers', text: AWKWARD.at },
  { by: 'Priya Shah', board: 'Priorities', text: AWKWARD.quotedComma },
  { by: 'Priya Shah', board: 'Vision', text: AWKWARD.markdown },
  { by: 'Priya Shah', board: 'Barriers', text: AWKWARD.accents }
];

/** The Priorities vote, in order: each voter's dots on their own room's cards, with one change of mind. */
const VOTES: { by: string; text: string; retract?: true }[] = [
  { by: 'Ada Lovelace', text: AWKWARD.emoji },
  { by: 'Ada Lovelace', text: AWKWARD.emoji },
  { by: 'Ada Lovelace', text: AWKWARD.commasAndQuotes },
  { by: "Ben O'Neill", text: AWKWARD.emoji },
  { by: "Ben O'Neill", text: AWKWARD.formula },
  { by: 'Zoë Clarke, Jr.', text: AWKWARD.plus },
  { by: 'Zoë Clarke, Jr.', text: AWKWARD.plus },
  { by: 'Zoë Clarke, Jr.', text: AWKWARD.plus, retract: true },
  { by: 'Zoë Clarke, Jr.', text: AWKWARD.minus },
  { by: 'Zoë Clarke, Jr.', text: AWKWARD.plus },
  { by: 'Dev Patel', text: AWKWARD.plus },
  { by: 'Dev Patel', text: AWKWARD.minus }
  // Priya Shah does not vote: her card gets 0.
];

/**
 * A three-room workshop built as people would build it: participants join over HTTP, write
 * cards through stock y-websocket clients, and vote on the Priorities board over Socket.IO while
 * the facilitator steers the phases. Returns what every notes format should then hold.
 */
export async function buildNotesWorkshop(
  server: TestServer,
  title: string,
  /** More of the creation body: by default names are shown, so the notes can be checked for them. */
  create: Omit<CreateWorkshopRequest, 'title'> = { attribution: 'named' }
): Promise<NotesWorkshop> {
  const providers: ProviderClient[] = [];
  const sockets: ControlClient[] = [];
  const close = () => {
    for (const provider of providers.splice(0)) provider.destroy();
    for (const socket of sockets.splice(0)) socket.close();
  };
  try {
    const workshop = await createWorkshop(server.url, { title, ...create });
    const token = await facilitatorToken(server.url, workshop);
    const boardId = (title: BoardTitle) => workshop.boards.find((b) => b.title === title)!.id;
    const roomId = (name: string) => workshop.rooms.find((r) => r.name === name)!.id;
    const screen = async (credential: string) => {
      const socket = controlClient(server.url, { token: credential }, ['websocket']);
      sockets.push(socket);
      await connected(socket);
      return socket;
    };
    const steer = async (socket: ControlClient, name: string, payload: unknown) =>
      dataOf(await command(socket, name, payload), `${name} ${JSON.stringify(payload)}`);

    const facilitator = await screen(token);
    for (const board of workshop.boards) await steer(facilitator, 'phase:set', { boardId: board.id, phase: 'brainstorm' });
    await steer(facilitator, 'vote:configure', { budget: 3, perCardCap: 2, hideUntilShown: true });

    const people = new Map<string, JoinResponse>();
    const docs = new Map<string, ProviderClient>();
    for (const { name, room } of PEOPLE) {
      const person = await joinRoom(server.url, workshop, room, name);
      const client = connectProvider(server.wsUrl, workshop.id, person.roomId, person.token);
      providers.push(client);
      await within(client.synced, 5000, `${name} to sync`);
      people.set(name, person);
      docs.set(name, client);
    }
    // The facilitator watches every room: a card has reached the server once it arrives here.
    const watchers = new Map<string, ProviderClient>();
    for (const room of workshop.rooms) {
      const watcher = connectProvider(server.wsUrl, workshop.id, room.id, token);
      providers.push(watcher);
      await within(watcher.synced, 5000, `the facilitator's view of ${room.name} to sync`);
      watchers.set(room.id, watcher);
    }

    const cards: ExpectedCard[] = PLAN.map((card) => {
      const person = people.get(card.by)!;
      const id = addCard(docs.get(card.by)!.doc, {
        boardId: boardId(card.board),
        text: card.text,
        authorId: person.participantId,
        authorName: card.anonymous ? '' : card.by
      });
      const room = PEOPLE.find((p) => p.name === card.by)!.room;
      return { id, room, board: card.board, text: card.text, author: card.anonymous ? 'Anonymous' : card.by, votes: undefined };
    });
    for (const room of workshop.rooms) {
      const wanted = cards.filter((card) => card.room === room.name).map((card) => card.text).sort();
      await waitForDoc(
        watchers.get(room.id)!.doc,
        (doc) => JSON.stringify(readCards(doc).map((card) => card.text).sort()) === JSON.stringify(wanted),
        5000,
        `every ${room.name} card at the facilitator`
      );
    }

    const priorities = boardId('Priorities');
    await steer(facilitator, 'phase:set', { boardId: priorities, phase: 'vote' });
    const voters = new Map<string, ControlClient>();
    for (const { name } of PEOPLE) voters.set(name, await screen(people.get(name)!.token));
    for (const vote of VOTES) {
      const card = cards.find((c) => c.text === vote.text)!;
      await steer(voters.get(vote.by)!, vote.retract ? 'vote:retract' : 'vote:cast', {
        boardId: priorities,
        roomId: roomId(card.room),
        cardId: card.id
      });
    }
    await steer(facilitator, 'vote:results', { boardId: priorities, shown: true });
    await steer(facilitator, 'phase:set', { boardId: priorities, phase: 'discuss' });
    for (const card of cards) {
      if (card.board !== 'Priorities') continue;
      card.votes = VOTES.filter((v) => v.text === card.text).reduce((sum, v) => sum + (v.retract ? -1 : 1), 0);
    }

    const view = await api<{ createdAt: number }>(server.url, 'GET', `/api/workshops/${workshop.id}`, undefined, {
      authorization: `Bearer ${token}`
    });
    return { workshop, facilitatorToken: token, createdAt: view.body.createdAt, people, cards, close };
  } catch (error) {
    close();
    throw error;
  }
}

/** The London calendar date of an instant, `YYYY-MM-DD`, as the notes date a workshop. */
export function londonDate(epochMs: number): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(new Date(epochMs));
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}
