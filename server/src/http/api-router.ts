import express, { type Request } from 'express';
import { LIMITS, PROTOCOL_VERSION, type HealthResponse } from '@goldthread/shared';
import { AppError } from '../errors.js';
import type { WorkshopService } from '../workshops/workshop-service.js';
import type { CardService } from '../workshops/card-service.js';

export interface ApiRouterDeps {
  workshops: WorkshopService;
  cards: CardService;
  version: string;
  startedAt: number;
}

/** The bearer credential of a request, or null. */
export function bearer(req: Request): string | null {
  const header = req.get('authorization');
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}

/** `/api`: health, workshops, joining. */
export function apiRouter({ workshops, cards, version, startedAt }: ApiRouterDeps): express.Router {
  const router = express.Router();
  router.use(express.json({ limit: LIMITS.httpBodyBytes, strict: true, type: () => true }));

  router.get('/health', (_req, res) => {
    const body: HealthResponse = {
      ok: true,
      version,
      protocol: PROTOCOL_VERSION,
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000)
    };
    res.json(body);
  });

  router.post('/workshops', async (req, res) => {
    res.status(201).json(await workshops.create(requireBody(req)));
  });

  router.get('/workshops/:id', (req, res) => {
    const claims = workshops.authorise(req.params.id, bearer(req));
    res.json(workshops.viewFor(claims));
  });

  router.post('/workshops/:id/facilitator-session', (req, res) => {
    res.json(workshops.facilitatorSession(req.params.id, bearer(req)));
  });

  router.get('/workshops/:id/rooms/:roomId/cards', async (req, res) => {
    const claims = workshops.authorise(req.params.id, bearer(req));
    res.json(await cards.list(claims, req.params.id, req.params.roomId));
  });

  router.post('/workshops/:id/rooms/:roomId/cards', async (req, res) => {
    const claims = workshops.authorise(req.params.id, bearer(req));
    res.status(201).json(await cards.add(claims, req.params.id, req.params.roomId, requireBody(req)));
  });

  router.get('/join/:code', (req, res) => {
    res.json(workshops.lookup(req.params.code));
  });

  router.post('/join', async (req, res) => {
    res.json(await workshops.join(requireBody(req)));
  });

  return router;
}

/** A JSON object body, or a validation error (an empty or array body is not one). */
function requireBody(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AppError('validation_failed', 'The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}
