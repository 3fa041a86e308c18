import {
  isErrorBody,
  normaliseJoinCode,
  type CreateWorkshopRequest,
  type CreateWorkshopResponse,
  type ErrorBody,
  type FacilitatorSessionResponse,
  type JoinLookupResponse,
  type JoinRequest,
  type JoinResponse,
  type FacilitatorWorkshopView,
  type ProjectorTokenResponse,
  type UpdateWorkshopRequest,
  type WorkshopResponse
} from '@goldthread/shared';

/** What every API call gives back: data, or an error that is safe to show to a person. */
export type ApiResult<T> = { ok: true; data: T } | { ok: false; status: number; error: ErrorBody['error'] };

type Fetch = typeof fetch;

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH';
  body?: unknown;
  /** Sent as `Authorization: Bearer <token>`; never put in the URL. */
  bearer?: string;
  fetch?: Fetch;
}

const OFFLINE_MESSAGE = 'We could not reach Goldthread. Check your internet connection and try again.';
const UNEXPECTED_MESSAGE = 'Something went wrong on our side. Please try again in a moment.';

/** Calls the Goldthread HTTP API. Never throws: network and server failures come back as values. */
export async function requestJson<T>(path: string, options: RequestOptions = {}): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;

  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(path, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      cache: 'no-store'
    });
  } catch {
    return { ok: false, status: 0, error: { code: 'unavailable', message: OFFLINE_MESSAGE } };
  }

  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (e.g. a proxy's HTML error page): fall through to the generic message.
  }

  if (response.ok && body !== null) return { ok: true, data: body as T };
  if (isErrorBody(body)) return { ok: false, status: response.status, error: body.error };
  return { ok: false, status: response.status, error: { code: 'internal', message: UNEXPECTED_MESSAGE } };
}

/** `GET /api/join/:code` — which workshop and rooms a join code leads to. */
export function lookUpJoinCode(code: string, fetch?: Fetch): Promise<ApiResult<JoinLookupResponse>> {
  return requestJson(`/api/join/${encodeURIComponent(normaliseJoinCode(code))}`, { fetch });
}

/** `POST /api/join` — joins a room and returns the participant's token. */
export function joinWorkshop(request: JoinRequest): Promise<ApiResult<JoinResponse>> {
  return requestJson('/api/join', {
    method: 'POST',
    body: { ...request, code: normaliseJoinCode(request.code) }
  });
}

/** `POST /api/workshops` — creates a workshop; the reply holds the facilitator key, shown once. */
export function createWorkshop(request: CreateWorkshopRequest): Promise<ApiResult<CreateWorkshopResponse>> {
  return requestJson('/api/workshops', { method: 'POST', body: request });
}

/** `POST /api/workshops/:id/facilitator-session` — trades the facilitator key for a session token. */
export function openFacilitatorSession(
  workshopId: string,
  facilitatorKey: string
): Promise<ApiResult<FacilitatorSessionResponse>> {
  return requestJson(`/api/workshops/${encodeURIComponent(workshopId)}/facilitator-session`, {
    method: 'POST',
    bearer: facilitatorKey
  });
}

/** `PATCH /api/workshops/:id` (facilitator): changes the details or the attribution level. */
export function updateWorkshop(workshopId: string, token: string, request: UpdateWorkshopRequest): Promise<ApiResult<FacilitatorWorkshopView>> {
  return requestJson(`/api/workshops/${encodeURIComponent(workshopId)}`, { method: 'PATCH', body: request, bearer: token });
}

/** `GET /api/workshops/:id` — the workshop as the token's holder may see it. */
export function getWorkshop(workshopId: string, token: string, fetch?: Fetch): Promise<ApiResult<WorkshopResponse>> {
  return requestJson(`/api/workshops/${encodeURIComponent(workshopId)}`, { bearer: token, fetch });
}

/** `POST /api/workshops/:id/projector-token` — a read-only token for the big screen (facilitator only). */
export function mintProjectorToken(workshopId: string, facilitatorToken: string): Promise<ApiResult<ProjectorTokenResponse>> {
  return requestJson(`/api/workshops/${encodeURIComponent(workshopId)}/projector-token`, {
    method: 'POST',
    bearer: facilitatorToken
  });
}

export type NotesFormat = 'docx' | 'html' | 'md';

/** `GET /api/workshops/:id/notes.<format>` — the session notes as a file to save. */
export async function downloadNotes(
  workshopId: string,
  token: string,
  format: NotesFormat
): Promise<{ ok: true; blob: Blob; fileName: string } | { ok: false; message: string }> {
  let response: Response;
  try {
    response = await fetch(`/api/workshops/${encodeURIComponent(workshopId)}/notes.${format}`, {
      headers: { authorization: `Bearer ${token}` },
      cache: 'no-store'
    });
  } catch {
    return { ok: false, message: OFFLINE_MESSAGE };
  }
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => null);
    return { ok: false, message: isErrorBody(body) ? body.error.message : UNEXPECTED_MESSAGE };
  }
  const disposition = response.headers.get('content-disposition') ?? '';
  const fileName = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? `workshop-notes.${format}`;
  return { ok: true, blob: await response.blob(), fileName };
}
