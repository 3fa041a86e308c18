import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RequestHandler } from 'express';
import type { Logger } from '../logger.js';

/**
 * The built SvelteKit app (adapter-node's `handler.js`) as Express middleware. When the app
 * has not been built, every page explains how to build it instead.
 */
export async function loadWebApp(buildDir: string | null, logger: Logger): Promise<RequestHandler> {
  const handlerFile = buildDir ? path.join(buildDir, 'handler.js') : null;
  if (!handlerFile || !existsSync(handlerFile)) {
    if (buildDir) logger.warn(`the web app is not built (${handlerFile} is missing): run "pnpm build"`);
    return (_req, res) => {
      res
        .status(503)
        .type('text/plain')
        .send('The Goldthread web app has not been built. Run "pnpm build" (or "pnpm start", which builds it).');
    };
  }
  const module = (await import(pathToFileURL(handlerFile).href)) as { handler: RequestHandler };
  return module.handler;
}
