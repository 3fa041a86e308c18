import { z } from 'zod';
import { LIMITS } from '../protocol/limits.js';
import type { NotesDocument } from './document.js';
import type { NotesScope, WorkshopNotesInput } from './model.js';
import { projectRecord, workshopRecordSchema } from './record-schema.js';

/**
 * The JSON export, format "goldthread-notes" version 2: the workshop's complete record, as
 * described field by field in docs/record-format.md and defined once in `record-schema.ts`.
 * It holds the input the notes were built from, limited to their scope, so
 * `buildNotes(json.workshops, json.scope)` rebuilds them and an importer recreates the workshop.
 * Version 1 files (no plenary, proxy marks or proxy votes) still import.
 */
export interface NotesJson {
  format: typeof NOTES_JSON_FORMAT;
  version: typeof NOTES_JSON_VERSION;
  scope: NotesScope;
  workshops: WorkshopNotesInput[];
}

export const NOTES_JSON_FORMAT = 'goldthread-notes';
/** The version written. Bumped whenever the record gains or changes a field, so an older Goldthread refuses it rather than importing half. */
export const NOTES_JSON_VERSION = 2;
/** The versions this Goldthread imports: every earlier one still reads. */
export const READABLE_VERSIONS: readonly number[] = [1, 2];
const ABOUT =
  'Goldthread workshop record: everything the workshop produced, as the notes were made from it. Import it into Goldthread to recreate the workshop. Format: docs/record-format.md.';

/** Thrown by `parseNotesJson` with a message fit to show the person importing the file. */
export class NotesJsonError extends Error {
  override name = 'NotesJsonError';
}

const id = z.string().min(1, { error: 'must not be empty' }).max(64);

const scopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('room'), roomId: id, workshopId: id.optional() }),
  z.object({ kind: z.literal('workshop'), workshopId: id.optional() }),
  z.object({ kind: z.literal('series'), title: z.string().max(LIMITS.workshopTitle).optional() })
]);

const notesJsonSchema = z
  .object({
    format: z.literal(NOTES_JSON_FORMAT),
    // Checked against READABLE_VERSIONS before the schema runs, with a clearer message.
    version: z.number().int(),
    scope: scopeSchema,
    workshops: z.array(workshopRecordSchema).min(1, { error: 'at least one workshop is needed' }).max(100)
  })
  .superRefine((notes, ctx) => {
    const { scope, workshops } = notes;
    const ok =
      scope.kind === 'series' ||
      (scope.kind === 'workshop' &&
        (scope.workshopId ? workshops.some((w) => w.workshop.id === scope.workshopId) : workshops.length === 1)) ||
      (scope.kind === 'room' && workshops.some((w) => w.rooms.some((room) => room.id === scope.roomId)));
    if (!ok)
      ctx.addIssue({ code: 'custom', path: ['scope'], message: 'names a room or workshop the file does not hold' });
  });

function pathLabel(path: PropertyKey[]): string {
  return (
    path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i ? '.' : ''}${String(part)}`)).join('') ||
    '(file)'
  );
}

/**
 * Reads a notes JSON export, checking its format, version, fields and cross-references.
 * Throws NotesJsonError with a readable message when the file cannot be imported.
 */
export function parseNotesJson(text: string): NotesJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new NotesJsonError(`This file is not valid JSON (${(error as Error).message})`);
  }
  const head = (typeof value === 'object' && value !== null ? value : {}) as { format?: unknown; version?: unknown };
  if (head.format !== NOTES_JSON_FORMAT) {
    throw new NotesJsonError(`This is not a Goldthread notes file: "format" should be "${NOTES_JSON_FORMAT}"`);
  }
  if (!READABLE_VERSIONS.includes(head.version as number)) {
    throw new NotesJsonError(
      typeof head.version === 'number' && head.version > NOTES_JSON_VERSION
        ? `This notes file is version ${head.version}, from a newer Goldthread; this one reads version ${NOTES_JSON_VERSION}`
        : `This notes file has an unknown version (${JSON.stringify(head.version)}); this Goldthread reads versions ${READABLE_VERSIONS.join(' and ')}`
    );
  }
  const result = notesJsonSchema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues;
    const lines = issues.slice(0, 5).map((issue) => `${pathLabel(issue.path)}: ${issue.message}`);
    if (issues.length > 5) lines.push(`…and ${issues.length - 5} more`);
    throw new NotesJsonError(`This Goldthread notes file cannot be imported:\n${lines.join('\n')}`);
  }
  // Version 1 is a subset of version 2: read as it is, it means the same.
  const notes: NotesJson = { ...result.data, version: NOTES_JSON_VERSION };
  return notes;
}

function scopeOf(scope: NotesScope): NotesScope {
  if (scope.kind === 'room')
    return scope.workshopId
      ? { kind: 'room', roomId: scope.roomId, workshopId: scope.workshopId }
      : { kind: 'room', roomId: scope.roomId };
  if (scope.kind === 'workshop')
    return scope.workshopId ? { kind: 'workshop', workshopId: scope.workshopId } : { kind: 'workshop' };
  return scope.title !== undefined ? { kind: 'series', title: scope.title } : { kind: 'series' };
}

/** The notes as versioned JSON (see NotesJson), keys in a fixed order, so equal notes give equal files. */
export function renderJson(doc: NotesDocument): string {
  const json: NotesJson & { about: string } = {
    format: NOTES_JSON_FORMAT,
    version: NOTES_JSON_VERSION,
    about: ABOUT,
    scope: scopeOf(doc.scope),
    workshops: doc.source.map((w) => projectRecord(workshopRecordSchema, w) as WorkshopNotesInput)
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}
