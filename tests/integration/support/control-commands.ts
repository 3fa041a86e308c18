import { expect } from 'vitest';
import type { Socket } from 'socket.io-client';
import { ERROR_CODES, type CardView, type CommandName, type ControlSnapshot, type ControlState, type ErrorCode } from '@goldthread/shared';
import { api } from './server.js';
import type { ControlClient } from './control-client.js';

/** A control state without its `serverTime` stamp, which differs on every copy. */
export type StateContent = Omit<ControlState, 'serverTime'>;

/** What `control:get` answers, without the `serverTime` stamp, for before/after comparisons. */
export type SnapshotContent = Omit<ControlSnapshot, 'state'> & { state: StateContent };

/** Drops the `serverTime` stamp from a control state. */
export function contentOf(state: ControlState): StateContent {
  const { serverTime: _serverTime, ...content } = state;
  return content;
}

/**
 * Sends any event with any arguments, as a hostile client could, and resolves with the ack;
 * rejects when no ack arrives within `timeoutMs`.
 */
export function command(socket: ControlClient, name: string, ...args: unknown[]): Promise<unknown> {
  return commandWithin(5000, socket, name, ...args);
}

/** `command` with an explicit ack timeout. */
export function commandWithin(timeoutMs: number, socket: ControlClient, name: string, ...args: unknown[]): Promise<unknown> {
  return (socket as unknown as Socket).timeout(timeoutMs).emitWithAck(name, ...args) as Promise<unknown>;
}

/** Asserts an ack is `{ data }` and returns the data. */
export function dataOf<T>(reply: unknown, what = 'the command'): T {
  expect(reply, `${what}: ${JSON.stringify(reply)?.slice(0, 300)}`).toEqual({ data: expect.anything() });
  return (reply as { data: T }).data;
}

/** Asserts an ack is exactly `{ error: { code, message } }` with one of the expected codes. */
export function expectRefused(reply: unknown, code: ErrorCode | readonly ErrorCode[], what = 'the command'): void {
  const described = `${what}: ${JSON.stringify(reply)?.slice(0, 300)}`;
  expect(reply, described).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
  const error = (reply as { error: { code: ErrorCode; message: string } }).error;
  expect(error.message.trim().length, described).toBeGreaterThan(0);
  expect(typeof code === 'string' ? [code] : code, described).toContain(error.code);
}

/** Why a reply is not a well-formed ack (`{ data }` or `{ error: { code, message } }` with a known code), or null when it is. */
export function ackProblem(reply: unknown): string | null {
  if (typeof reply !== 'object' || reply === null || Array.isArray(reply)) return 'not an object';
  const keys = Object.keys(reply);
  if (keys.length !== 1) return `keys ${keys.join(',')}`;
  if (keys[0] === 'data') return (reply as { data: unknown }).data === undefined ? 'data is undefined' : null;
  if (keys[0] !== 'error') return `key ${keys[0]}`;
  const error = (reply as { error: unknown }).error;
  if (typeof error !== 'object' || error === null) return 'error is not an object';
  const { code, message, ...rest } = error as Record<string, unknown>;
  if (Object.keys(rest).length > 0) return `error has extra keys ${Object.keys(rest).join(',')}`;
  if (!(ERROR_CODES as readonly unknown[]).includes(code)) return `unknown code ${String(code)}`;
  if (typeof message !== 'string' || message.trim() === '') return 'empty message';
  return null;
}

/** `control:get` as the given screen sees it, without the `serverTime` stamp. */
export async function controlView(socket: ControlClient): Promise<SnapshotContent> {
  const snapshot = dataOf<ControlSnapshot>(await command(socket, 'control:get', {}), 'control:get');
  return { ...snapshot, state: contentOf(snapshot.state) };
}

/** A read-only projector token, minted by the facilitator over HTTP. */
export async function projectorToken(base: string, workshopId: string, facilitatorToken: string): Promise<string> {
  const { status, body } = await api<{ token: string }>(base, 'POST', `/api/workshops/${workshopId}/projector-token`, undefined, {
    authorization: `Bearer ${facilitatorToken}`
  });
  if (status !== 201) throw new Error(`minting a projector token failed: ${status} ${JSON.stringify(body)}`);
  return body.token;
}

/** Adds a card over HTTP in the token holder's name and returns it. */
export async function addCardOverHttp(base: string, workshopId: string, roomId: string, token: string, boardId: string, text: string) {
  const { status, body } = await api<CardView>(base, 'POST', `/api/workshops/${workshopId}/rooms/${roomId}/cards`, { boardId, text }, {
    authorization: `Bearer ${token}`
  });
  if (status !== 201) throw new Error(`adding a card failed: ${status} ${JSON.stringify(body)}`);
  return body;
}

/** Asserts the server answers its health check. */
export async function expectHealthy(base: string): Promise<void> {
  const health = await api<{ ok?: boolean }>(base, 'GET', '/api/health');
  expect(health.status).toBe(200);
  expect(health.body.ok).toBe(true);
}

/** Records every payload of one server event on a socket, from now on. */
export function record<T = unknown>(socket: ControlClient, event: string): T[] {
  const seen: T[] = [];
  (socket as unknown as Socket).on(event, (payload: T) => seen.push(payload));
  return seen;
}

/**
 * Who may send each command; a `voter` is a participant, or the facilitator on behalf of someone
 * without a device. Written out (not derived from the server) so a new command fails to compile
 * here until someone decides who may use it and the suites cover it.
 */
export const WHO_MAY: Record<CommandName, 'facilitator' | 'participant' | 'voter' | 'anyone'> = {
  'session:get': 'anyone',
  'control:get': 'anyone',
  'phase:set': 'facilitator',
  'board:private': 'facilitator',
  'board:reveal': 'facilitator',
  'board:lock': 'facilitator',
  'board:focus': 'facilitator',
  'spotlight:set': 'facilitator',
  'timer:set': 'facilitator',
  'timer:start': 'facilitator',
  'timer:pause': 'facilitator',
  'timer:add': 'facilitator',
  'vote:configure': 'facilitator',
  'vote:cast': 'voter',
  'vote:retract': 'voter',
  'vote:results': 'facilitator',
  'joining:set': 'facilitator',
  'notes:share': 'facilitator',
  'plenary:combine': 'facilitator',
  // A read: the theme names of every room, for the plenary comparison every screen may show.
  'themes:compare': 'anyone',
  'participant:done': 'participant',
  'outcome:add': 'facilitator',
  'outcome:update': 'facilitator',
  'outcome:remove': 'facilitator',
  'outcome:carry': 'facilitator'
};
