import type { IncomingMessage } from 'node:http';

/** Express's compiled `trust proxy` test: may the address at `hop` (0 = the socket) speak for the client? */
export type TrustFunction = (address: string, hop: number) => boolean;

/**
 * The client's address as Express's `req.ip` finds it, for requests Express does not see
 * (Socket.IO handshakes): walk X-Forwarded-For from the socket outwards while the proxies are
 * trusted.
 */
export function clientAddress(req: IncomingMessage, trust: TrustFunction): string {
  const socketAddress = req.socket.remoteAddress ?? 'unknown';
  const header = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : header ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .reverse();
  const chain = [socketAddress, ...forwarded];
  for (let hop = 0; hop < chain.length - 1; hop++) {
    if (!trust(chain[hop]!, hop)) return chain[hop]!;
  }
  return chain[chain.length - 1]!;
}
