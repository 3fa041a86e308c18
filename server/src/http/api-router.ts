import express, { type Request } from 'express';
import { LIMITS, PROTOCOL_VERSION, snapshotRequest, type HealthResponse } from '@goldthread/shared';
import { AppError } from '../errors.js';
import { bearer } from './bearer.js';
import type { WorkshopService } from '../workshops/workshop-service.js';
import type { CardService } from '../workshops/card-service.js';
import type { SnapshotService } from '../workshops/snapshot-service.js';
import { parseBody, requireFacilitator } from '../workshops/workshop-service.js';

export interface ApiRouterDeps {
  /** Refuses a request without the admin token, when one is configured. */
  requireAdmin: (req: Request) => void;
  workshops: WorkshopService;
  cards: CardService;
  snapshots: SnapshotService;
  version: string;
  startedAt: number;
}

/** `/api`: health, workshops, joining (their rate limits are in limits-router.ts, mounted first). */
export function apiRouter({ workshops, cards, snapshots, requireAdmin, version, startedAt }: ApiRouterDeps): express.Router {
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
    requireAdmin(req);
    res.status(201).json(await workshops.create(requireBody(req)));
  });

  router.get('/workshops/:id', (req, res) => {
    const claims = workshops.authorise(req.params.id, bearer(req));
    res.json(workshops.viewFor(claims));
  });

  router.patch('/workshops/:id', async (req, res) => {
    const claims = workshops.authorise(req.params.id, bearer(req));
    res.json(await workshops.update(claims, requireBody(req)));
  });

  router.post('/workshops/:id/facilitator-session', (req: Request<{ id: string }>, res) => {
    res.json(workshops.facilitatorSession(req.params.id, bearer(req)));
  });

  router.post('/workshops/:id/proxies', async (req, res) => {
    const claims = workshops.authorise(req.params.id, bearer(req));
    res.status(201).json(await workshops.addProxy(claims, requireBody(req)));
  });

  router.get('/workshops/:id/attendance', async (req, res) => {
    const claims = workshops.authorise(req.params.id, bearer(req));
    res.json(await workshops.attendance(claims));
  });

  router.post('/workshops/:id/projector-token', (req, res) => {
    const claims = workshops.authorise(req.params.id, bearer(req));
    res.status(201).json(workshops.projectorToken(claims));
  });

  router.get('/workshops/:id/rooms/:roomId/cards', async (req, res) => {
    const claims = workshops.authorise(req.params.id, bearer(req));
    res.json(await cards.list(claims, req.params.id, req.params.roomId));
  });

  router.post('/workshops/:id/rooms/:roomId/cards', async (req, res) => {
    const claims = workshops.authorise(req.params.id, bearer(req));
    res.status(201).json(await cards.add(claims, req.params.id, req.params.roomId, requireBody(req)));
  });

  router.post('/workshops/:id/snapshots', async (req, res) => {
    facilitatorOf(req);
    const { label } = parseBody(snapshotRequest, req.body ?? {});
    const taken = await snapshots.take(req.params.id, 'manual', label);
    res.status(201).json(taken);
  });

  router.get('/workshops/:id/snapshots', async (req, res) => {
    facilitatorOf(req);
    res.json(await snapshots.list(req.params.id));
  });

  router.get('/workshops/:id/snapshots/:snapshotId', async (req, res) => {
    facilitatorOf(req);
    res.json(await snapshots.view(req.params.id, req.params.snapshotId));
  });

  router.post('/workshops/:id/snapshots/:snapshotId/restore', async (req, res) => {
    facilitatorOf(req);
    res.json(await snapshots.restore(req.params.id, req.params.snapshotId));
  });

  /** The facilitator's claims for the workshop in the path, or a 401/403. */
  function facilitatorOf(req: Request<{ id: string }>) {
    const claims = workshops.authorise(req.params.id, bearer(req));
    requireFacilitator(claims);
    return claims;
  }

  router.get('/join/:code', (req: Request<{ code: string }>, res) => {
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
