import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RequestHandler } from 'express';
import type { Logger } from '../logger.js';
import { staticFiles } from './static-files.js';

/**
 * The built SvelteKit app (adapter-node's `handler.js`) as Express middleware, its static files
 * served by `staticFiles` first. When the app has not been built, every page explains how to
 * build it instead.
 */
export async function loadWebApp(buildDir: string | null, logger: Logger): Promise<RequestHandler[]> {
  const handlerFile = buildDir ? path.join(buildDir, 'handler.js') : null;
  if (!buildDir || !handlerFile || !existsSync(handlerFile)) {
    if (buildDir) logger.warn(`the web app is not built (${handlerFile} is missing): run "pnpm build"`);
    return [
      (_req, res) => {
        res
          .status(503)
          .type('text/plain')
          .send('The Goldthread web app has not been built. Run "pnpm build" (or "pnpm start", which builds it).');
      }
    ];
  }
  // Listed before SvelteKit's handler reads the folder, so every file it knows is served here.
  const files = staticFiles(path.join(buildDir, 'client'), logger);
  const module = (await import(pathToFileURL(handlerFile).href)) as { handler: RequestHandler };
  return [files, module.handler];
}
