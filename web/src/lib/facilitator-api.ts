import {
  isErrorBody,
  type AttendanceResponse,
  type CreateWorkshopResponse,
  type ProxyRequest,
  type ProxyResponse,
  type RestoreResponse,
  type SnapshotReason,
  type SnapshotSummary,
  type SnapshotView
} from '@goldthread/shared';
import { requestJson, type ApiResult } from '$lib/api';

/**
 * The facilitator console's HTTP calls beyond the basics in `api.ts`: notes files, the
 * snapshot timeline, people without a device, attendance and importing. Like `api.ts`, they
 * never throw: failures come back as values with a message fit to show.
 */

// The timeline's shapes are defined once, in shared/src/protocol/http.ts.
export type { RestoreResponse, SnapshotReason, SnapshotSummary, SnapshotView };

/** Formats the server renders notes in. */
export const NOTES_FORMATS = ['docx', 'html', 'md', 'csv', 'json'] as const;
export type NotesFileFormat = (typeof NOTES_FORMATS)[number];

/** A file the server sent, ready to save under its own name. */
export interface DownloadedFile {
  blob: Blob;
  fileName: string;
}

export type FileResult = { ok: true; file: DownloadedFile } | { ok: false; message: string };

const OFFLINE_MESSAGE = 'We could not reach Goldthread. Check your internet connection and try again.';
const UNEXPECTED_MESSAGE = 'Something went wrong on our side. Please try again in a moment.';

const workshopPath = (workshopId: string) => `/api/workshops/${encodeURIComponent(workshopId)}`;

/** The file name from `Content-Disposition` (plain or RFC 5987 `filename*`), or the fallback. */
export function fileNameFrom(disposition: string | null, fallback: string): string {
  const header = disposition ?? '';
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header)?.[1];
  if (extended) {
    try {
      return decodeURIComponent(extended.trim());
    } catch {
      // Not valid percent-encoding: fall back to the plain name.
    }
  }
  return /filename\s*=\s*"?([^";]+)"?/.exec(header)?.[1]?.trim() || fallback;
}

/** GETs a file with a bearer credential (never in the URL). */
async function fetchFile(path: string, bearer: string, fallbackName: string): Promise<FileResult> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { authorization: `Bearer ${bearer}` }, cache: 'no-store' });
  } catch {
    return { ok: false, message: OFFLINE_MESSAGE };
  }
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => null);
    return { ok: false, message: isErrorBody(body) ? body.error.message : UNEXPECTED_MESSAGE };
  }
  const fileName = fileNameFrom(response.headers.get('content-disposition'), fallbackName);
  return { ok: true, file: { blob: await response.blob(), fileName } };
}

/** `GET /api/workshops/:id/notes.<format>[?room=]` — one workshop's notes, or one room's. */
export function fetchWorkshopNotes(workshopId: string, token: string, format: NotesFileFormat, roomId?: string): Promise<FileResult> {
  const query = roomId ? `?room=${encodeURIComponent(roomId)}` : '';
  return fetchFile(`${workshopPath(workshopId)}/notes.${format}${query}`, token, `workshop-notes.${format}`);
}

/**
 * `GET /api/notes.<format>?workshops=…` — combined notes of a series; `credentials` holds one
 * facilitator key or session token per workshop, in any order.
 */
export function fetchSeriesNotes(workshopIds: string[], credentials: string[], format: NotesFileFormat, title?: string): Promise<FileResult> {
  const query = new URLSearchParams({ workshops: workshopIds.join(',') });
  if (title) query.set('title', title);
  return fetchFile(`/api/notes.${format}?${query.toString()}`, credentials.join(','), `series-notes.${format}`);
}

/** `POST /api/import` — recreates a workshop from a notes JSON export. */
export async function importWorkshop(json: string): Promise<ApiResult<CreateWorkshopResponse>> {
  let response: Response;
  try {
    response = await fetch('/api/import', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: json,
      cache: 'no-store'
    });
  } catch {
    return { ok: false, status: 0, error: { code: 'unavailable', message: OFFLINE_MESSAGE } };
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.ok && body !== null) return { ok: true, data: body as CreateWorkshopResponse };
  if (isErrorBody(body)) return { ok: false, status: response.status, error: body.error };
  return { ok: false, status: response.status, error: { code: 'internal', message: UNEXPECTED_MESSAGE } };
}

export function listSnapshots(workshopId: string, token: string): Promise<ApiResult<SnapshotSummary[]>> {
  return requestJson(`${workshopPath(workshopId)}/snapshots`, { bearer: token });
}

export function takeSnapshot(workshopId: string, token: string, label?: string): Promise<ApiResult<SnapshotSummary>> {
  return requestJson(`${workshopPath(workshopId)}/snapshots`, { method: 'POST', bearer: token, body: label ? { label } : {} });
}

export function viewSnapshot(workshopId: string, token: string, snapshotId: string): Promise<ApiResult<SnapshotView>> {
  return requestJson(`${workshopPath(workshopId)}/snapshots/${encodeURIComponent(snapshotId)}`, { bearer: token });
}

export function restoreSnapshot(workshopId: string, token: string, snapshotId: string): Promise<ApiResult<RestoreResponse>> {
  return requestJson(`${workshopPath(workshopId)}/snapshots/${encodeURIComponent(snapshotId)}/restore`, {
    method: 'POST',
    bearer: token,
    body: {}
  });
}

/** `POST /api/workshops/:id/proxies` — records someone without a device. */
export function addProxy(workshopId: string, token: string, request: ProxyRequest): Promise<ApiResult<ProxyResponse>> {
  return requestJson(`${workshopPath(workshopId)}/proxies`, { method: 'POST', bearer: token, body: request });
}

/** `GET /api/workshops/:id/attendance` — head-counts by room and sector, no names. */
export function getAttendance(workshopId: string, token: string): Promise<ApiResult<AttendanceResponse>> {
  return requestJson(`${workshopPath(workshopId)}/attendance`, { bearer: token });
}

/** Saves a file through the browser's download, under the given name. */
export function saveFile({ blob, fileName }: DownloadedFile): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own copy once it starts; the URL is released a little later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
