import express, { type Request, type Response } from 'express';
import { isId, LIMITS, type NotesScope, type WorkshopNotesInput } from '@goldthread/shared';
import { AppError } from '../errors.js';
import { bearer } from './bearer.js';
import { isNotesFormat, type NotesFile, type NotesFormat, type NotesService } from '../notes/notes-service.js';
import type { WorkshopService } from '../workshops/workshop-service.js';
import type { ControlRegistry } from '../control/control-registry.js';

export interface NotesRouterDeps {
  notes: NotesService;
  workshops: WorkshopService;
  controls: ControlRegistry;
  /** When set, importing a workshop needs it (as creating one does). */
  requireAdmin: (req: Request) => void;
}

const MAX_SERIES = 20;

/** Notes downloads (one workshop or a series) and JSON import. */
export function notesRouter({ notes, workshops, controls, requireAdmin }: NotesRouterDeps): express.Router {
  const router = express.Router();

  router.get('/workshops/:id/notes.:format', async (req: Request<{ id: string; format: string }>, res) => {
    const format = formatOf(req.params.format);
    const audience = await requireNotesAccess(req.params.id, bearer(req));
    const room = typeof req.query.room === 'string' ? req.query.room : undefined;
    const scope: NotesScope = room ? { kind: 'room', roomId: room } : { kind: 'workshop' };
    // The timeline goes into the workshop's JSON record when the facilitator asks for it.
    const snapshots = req.query.snapshots === '1' && format === 'json' && !room;
    if (snapshots && audience !== 'facilitator') throw new AppError('forbidden', 'Only the facilitator can export the snapshots.');
    send(res, await notes.render([await notes.collect(req.params.id, audience, { snapshots })], scope, format));
  });

  const combined = async (req: Request, res: Response, format: NotesFormat) => {
    const ids = String(req.query.workshops ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean);
    if (ids.length === 0) throw new AppError('validation_failed', 'Name the workshops: ?workshops=<id>,<id>,...');
    if (ids.length > MAX_SERIES) throw new AppError('validation_failed', `At most ${MAX_SERIES} workshops can be combined.`);
    if (!ids.every(isId) || new Set(ids).size !== ids.length) throw new AppError('validation_failed', 'Each workshop id must be given once.');
    // One facilitator key (or facilitator token) per workshop, comma-separated in the bearer.
    const credentials = (bearer(req) ?? '').split(',').filter(Boolean);
    const inputs: WorkshopNotesInput[] = [];
    for (const id of ids) {
      if (!credentials.some((credential) => workshops.isFacilitatorOf(id, credential))) {
        throw new AppError('forbidden', `The facilitator key of workshop ${id} is needed to combine its notes.`);
      }
      inputs.push(await notes.collect(id));
    }
    const title = typeof req.query.title === 'string' ? req.query.title.slice(0, LIMITS.workshopTitle) : undefined;
    send(res, await notes.render(inputs, { kind: 'series', ...(title && { title }) }, format));
  };
  router.get('/notes', (req, res) => combined(req, res, formatOf(typeof req.query.format === 'string' ? req.query.format : 'md')));
  router.get('/notes.:format', (req: Request<{ format: string }>, res) => combined(req, res, formatOf(req.params.format)));

  router.post('/import', express.text({ type: () => true, limit: '8mb' }), async (req, res) => {
    requireAdmin(req);
    const text = typeof req.body === 'string' ? req.body : '';
    if (text.trim() === '') throw new AppError('validation_failed', 'Send a Goldthread notes JSON file as the request body.');
    res.status(201).json(await notes.importJson(text));
  });

  /** The facilitator always; a participant once the notes are shared; nobody else. */
  async function requireNotesAccess(workshopId: string, credential: string | null): Promise<'facilitator' | 'participant'> {
    if (workshops.isFacilitatorKey(workshopId, credential)) return 'facilitator';
    const claims = workshops.authorise(workshopId, credential);
    if (claims.role === 'facilitator') return 'facilitator';
    if (claims.role === 'participant' && (await controls.get(workshopId)).notesShared) return 'participant';
    throw new AppError('forbidden', claims.role === 'participant' ? 'The facilitator has not shared the notes yet.' : 'The projector cannot download notes.');
  }

  return router;
}

function formatOf(value: string): NotesFormat {
  if (!isNotesFormat(value)) throw new AppError('not_found', 'Notes come as md, docx, html, csv or json.');
  return value;
}

function send(res: Response, file: NotesFile) {
  res
    .status(200)
    .type(file.contentType)
    .setHeader('Content-Disposition', `attachment; filename="${file.fileName}"`)
    .setHeader('Cache-Control', 'no-store')
    .send(file.body);
}
