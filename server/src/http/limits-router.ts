import express, { type Request, type RequestHandler, type Response } from 'express';
import { LIMITS } from '@goldthread/shared';
import { AppError } from '../errors.js';
import type { AccessLimits } from '../limits/access-limits.js';
import type { Logger } from '../logger.js';
import type { WorkshopService } from '../workshops/workshop-service.js';
import { bearer } from './bearer.js';

/** At most this many workshops' notes combine in one request (the notes router says the same). */
const MAX_SERIES = 20;

export interface LimitsRouterDeps {
  limits: AccessLimits;
  workshops: WorkshopService;
  logger: Logger;
  /** Whether `trust proxy` is configured (the client's address then comes from X-Forwarded-For). */
  trustsProxy: boolean;
}

/**
 * `/api` routes' limits, mounted before the routes themselves: creation and import per address,
 * and the secrets people type — join codes, facilitator keys, notes credentials.
 *
 * A right secret is never refused: facilitator keys and tokens cannot be guessed, so letting
 * them through a limited address tells a guesser nothing. A join code can be guessed, so a
 * limited address still joins with a right code only for a workshop it is known to use (see
 * `KnownAddresses`); otherwise its 429 would tell a guesser which codes are wrong.
 */
export function limitsRouter({ limits, workshops, logger, trustsProxy }: LimitsRouterDeps): express.Router {
  const router = express.Router();
  if (!trustsProxy) router.use(warnOnceAboutProxy(logger));
  const creation = limitCreation(limits);
  router.post('/workshops', creation);
  router.post('/import', creation);

  const joinCode = guardJoinCode(limits, workshops);
  router.get('/join/:code', (req: Request<{ code: string }>, res, next) => joinCode(req.params.code, req, res, next));
  router.post('/join', express.json({ limit: LIMITS.httpBodyBytes, strict: true, type: () => true }), (req, res, next) => {
    const code: unknown = (req.body as { code?: unknown } | undefined)?.code;
    joinCode(typeof code === 'string' ? code : null, req, res, next);
  });

  const opensFacilitator = (workshopId: string, credential: string) => isKey(workshops, workshopId, credential);
  const opensNotes = (workshopId: string, credential: string) =>
    isKey(workshops, workshopId, credential) || workshops.verifyToken(credential)?.workshopId === workshopId;
  router.post('/workshops/:id/facilitator-session', (req: Request<{ id: string }>, res, next) =>
    guardCredentials(limits, [req.params.id], credentialsOf(req), opensFacilitator, req, res, next)
  );
  router.get('/workshops/:id/notes.:format', (req: Request<{ id: string }>, res, next) =>
    guardCredentials(limits, [req.params.id], credentialsOf(req), opensNotes, req, res, next)
  );
  const seriesNotes: RequestHandler = (req, res, next) => {
    const ids = String(req.query.workshops ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean)
      .slice(0, MAX_SERIES);
    guardCredentials(limits, ids, credentialsOf(req), opensNotes, req, res, next);
  };
  router.get('/notes', seriesNotes);
  router.get('/notes.:format', seriesNotes);
  return router;
}

/**
 * Every request to create or import takes one of its address's budget before any work; one
 * refused as malformed gives it back (it cost nothing), one refused for its admin token does not
 * (so admin tokens cannot be guessed faster than workshops created). The address a workshop is
 * created from is known to it from then on (its facilitator is usually at the venue).
 */
function limitCreation(limits: AccessLimits): RequestHandler {
  const { creations, known } = limits;
  return (req, res, next) => {
    const address = addressOf(req);
    if (!creations.take(address)) {
      refuse(res, next, creations.retryAfterSeconds(address), 'Too many workshops were created from this network. Please wait a few minutes and try again.');
      return;
    }
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      const id = (body as { id?: unknown } | null)?.id;
      if (res.statusCode === 201 && typeof id === 'string') known.see(address, id);
      return json(body);
    };
    res.on('finish', () => {
      if (res.statusCode >= 400 && res.statusCode !== 401 && res.statusCode !== 403 && res.statusCode !== 429) creations.refund(address);
    });
    next();
  };
}

/**
 * A join code that matches no workshop spends one of its address's wrong attempts. A limited
 * address is refused, except with the right code of a workshop it is known to use.
 */
function guardJoinCode(limits: AccessLimits, workshops: WorkshopService) {
  return (code: string | null, req: Request, res: Response, next: (error?: unknown) => void) => {
    if (code === null || code.trim() === '') {
      next(); // The route answers validation_failed; nothing was guessed.
      return;
    }
    const address = addressOf(req);
    const workshopId = workshopIdOfCode(workshops, code);
    const failures = limits.failuresByAddress;
    if (failures.exhausted(address) && !(workshopId && limits.known.knows(address, workshopId))) {
      refuse(res, next, failures.retryAfterSeconds(address), 'Too many wrong codes from this network. Please wait a minute and try again.');
      return;
    }
    if (workshopId === null) failures.take(address);
    else res.on('finish', () => res.statusCode < 300 && limits.known.see(address, workshopId));
    next();
  };
}

/**
 * Credentials (facilitator keys or tokens) for the workshops a request names: at most one per
 * workshop; each that opens none of them spends one wrong attempt of the address and of each
 * workshop. When either budget is used up, only requests whose every credential is right pass.
 */
function guardCredentials(
  limits: AccessLimits,
  workshopIds: string[],
  credentials: string[],
  opens: (workshopId: string, credential: string) => boolean,
  req: Request,
  res: Response,
  next: (error?: unknown) => void
) {
  if (credentials.length > Math.max(1, workshopIds.length)) {
    next(new AppError('validation_failed', 'Send one facilitator key or token per workshop, no more.'));
    return;
  }
  const address = addressOf(req);
  const wrong = credentials.filter((credential) => !workshopIds.some((id) => opens(id, credential))).length;
  if (wrong === 0) {
    if (credentials.length > 0) res.on('finish', () => res.statusCode < 300 && workshopIds.forEach((id) => limits.known.see(address, id)));
    next();
    return;
  }
  const { failuresByAddress, failuresByWorkshop } = limits;
  const limitedWorkshop = workshopIds.find((id) => failuresByWorkshop.exhausted(id));
  if (failuresByAddress.exhausted(address) || limitedWorkshop !== undefined) {
    const wait = Math.max(failuresByAddress.retryAfterSeconds(address), limitedWorkshop ? failuresByWorkshop.retryAfterSeconds(limitedWorkshop) : 0);
    refuse(res, next, wait, 'Too many wrong keys. Please wait a minute and try again.');
    return;
  }
  failuresByAddress.spend(address, wrong);
  for (const id of workshopIds) failuresByWorkshop.spend(id, wrong);
  next();
}

/** Behind a proxy nobody told us about, every client is the proxy: say so once, in the log. */
function warnOnceAboutProxy(logger: Logger): RequestHandler {
  let warned = false;
  return (req, _res, next) => {
    if (!warned && req.headers['x-forwarded-for'] !== undefined) {
      warned = true;
      logger.warn(
        'requests arrive through a proxy (X-Forwarded-For), but GOLDTHREAD_TRUST_PROXY is not set: every client counts as the proxy\'s address in the rate limits'
      );
    }
    next();
  };
}

function refuse(res: Response, next: (error?: unknown) => void, retryAfterSeconds: number, message: string) {
  res.setHeader('Retry-After', String(Math.max(1, retryAfterSeconds)));
  next(new AppError('rate_limited', message));
}

/** The client's address, through trusted proxies when `trust proxy` is configured. */
function addressOf(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/** The comma-separated credentials of a bearer header. */
function credentialsOf(req: Request<object>): string[] {
  return (bearer(req) ?? '').split(',').filter(Boolean);
}

function isKey(workshops: WorkshopService, workshopId: string, credential: string): boolean {
  try {
    return workshops.isFacilitatorKey(workshopId, credential);
  } catch {
    return false; // No such workshop: the route answers 404.
  }
}

function workshopIdOfCode(workshops: WorkshopService, code: string): string | null {
  try {
    return workshops.lookup(code).workshopId;
  } catch {
    return null;
  }
}
