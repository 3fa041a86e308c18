import type { Request } from 'express';

/** The bearer credential of a request, or null. */
export function bearer(req: Request<object>): string | null {
  const header = req.get('authorization');
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}
