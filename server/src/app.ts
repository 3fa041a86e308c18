import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import helmet from 'helmet';
import { loadOrCreateSecret } from './auth/secret.js';
import { TokenSigner } from './auth/tokens.js';
import { createLogger, type Logger } from './logger.js';
import type { ServerConfig } from './config.js';
import { apiNotFound, apiRouter, jsonErrors } from './http/index.js';
import { loadWebApp } from './http/web-app.js';
import { createControlServer, publishCounts, type ControlServer } from './control/control-server.js';
import { ControlRegistry } from './control/control-registry.js';
import { channels } from './control/commands.js';
import { RoomSignals } from './control/room-signals.js';
import { RoomRegistry } from './rooms/room-registry.js';
import { encodeAwarenessMessage, encodeUpdateMessage } from './sync/messages.js';
import { YjsEndpoint } from './sync/yjs-endpoint.js';
import { LowdbWorkshopStore } from './store/lowdb-store.js';
import { FileJournalStore } from './store/file-journal.js';
import type { WorkshopStore } from './store/types.js';
import { localDisk, type Disk } from './store/disk.js';
import { WorkshopService } from './workshops/workshop-service.js';
import { CardService } from './workshops/card-service.js';
import { SnapshotService } from './workshops/snapshot-service.js';
import { NotesService } from './notes/notes-service.js';
import { notesRouter } from './http/notes-router.js';
import { adminCheck } from './http/admin.js';
import { limitsRouter } from './http/limits-router.js';
import { AccessLimits } from './limits/access-limits.js';
import { clientAddress, type TrustFunction } from './limits/client-address.js';
import { releaseMemoryWhenIdle } from './memory/release-when-idle.js';
import { Throttle } from './concurrency/throttle.js';

/** How long after the last room unloads the server collects its garbage, if nothing loaded since. */
const IDLE_GC_DELAY_MS = 3000;
/** Facilitators' head-counts are sent at most this often per workshop while people come and go. */
const HEADCOUNT_INTERVAL_MS = 250;

export type { ServerConfig } from './config.js';
export { loadConfig } from './config.js';
export type { WorkshopStore } from './store/types.js';
export { MemoryWorkshopStore } from './store/memory-store.js';
export { LowdbWorkshopStore } from './store/lowdb-store.js';
export type { Disk, WritableFile } from './store/disk.js';
export { localDisk } from './store/disk.js';

/** What a running Goldthread server exposes to its entry file and to tests. */
export interface GoldthreadServer {
  httpServer: HttpServer;
  io: ControlServer;
  rooms: RoomRegistry;
  store: WorkshopStore;
  /** Listens on a port (0 for any) and resolves with the address. */
  listen(port: number, host: string): Promise<AddressInfo>;
  /** Stops accepting, saves every room, closes every connection. Safe to call twice. */
  close(): Promise<void>;
}

export interface ServerDeps {
  /** Defaults to the lowdb store under `config.dataDir`. */
  store?: WorkshopStore;
  logger?: Logger;
  version?: string;
  /** Where the stores write; the real file system by default (tests pass one that can fail like a full disk). */
  disk?: Disk;
}

/**
 * Builds Goldthread — Express API, Socket.IO control channel and Yjs sync endpoint on one
 * HTTP server, serving the built web app — without listening.
 */
export async function createServer(config: ServerConfig, deps: ServerDeps = {}): Promise<GoldthreadServer> {
  const logger = deps.logger ?? createLogger(config.logLevel);
  const disk = deps.disk ?? localDisk;
  const store =
    deps.store ??
    new LowdbWorkshopStore(config.dataDir, {
      disk,
      onWriteError: (file, error) => logger.error(`writing ${file} failed`, error)
    });
  const opened = await store.open();
  for (const broken of opened.broken) {
    logger.error(`workshop ${broken.workshopId} cannot be served: ${broken.problem} (the file is left untouched)`);
  }

  const tokens = new TokenSigner(await loadOrCreateSecret(config.dataDir, config.secret));
  const workshops = new WorkshopService({
    store,
    tokens,
    participantTokenTtlSeconds: config.participantTokenTtlSeconds,
    facilitatorTokenTtlSeconds: config.facilitatorTokenTtlSeconds,
    retentionDays: config.retentionDays
  });

  const app = express();
  app.disable('x-powered-by');
  // Pages get their Content-Security-Policy from SvelteKit (it knows its script nonces); the API gets a closed one.
  app.use(helmet({ contentSecurityPolicy: false, strictTransportSecurity: false }));
  app.use('/api', helmet.contentSecurityPolicy({ useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } }));
  // Limits count the client's address: the connection's own, or through the proxies configured.
  app.set('trust proxy', config.trustProxy);
  const trust = app.get('trust proxy fn') as TrustFunction;
  const limits = new AccessLimits(config.rates);
  const httpServer = createHttpServer(app);

  // Rooms, control state and the Socket.IO server refer to one another; these late-bound getters tie them.
  let io: ControlServer | undefined;
  const signals = new RoomSignals({ io: () => io, controls: () => controls, logger });
  const journals = config.journal
    ? new FileJournalStore(path.join(config.dataDir, 'journal'), { fsyncIntervalMs: config.journalFsyncMs, logger, disk })
    : null;
  // A thousand people joining in a minute cost each console a few head-counts a second, not a
  // thousand (each one makes the console count attendance again).
  const occupancy = new Throttle(
    HEADCOUNT_INTERVAL_MS,
    (workshopId) => (io ? publishCounts(io, rooms, workshopId) : undefined),
    (error) => logger.error('sending head-counts failed', error)
  );
  const idleMemory = releaseMemoryWhenIdle({ delayMs: IDLE_GC_DELAY_MS, roomsLoaded: () => rooms.size, logger });
  const rooms = new RoomRegistry({
    store,
    journals,
    logger,
    saveQuietMs: config.saveQuietMs,
    saveMaxMs: config.saveMaxMs,
    idleUnloadMs: config.roomIdleUnloadMs,
    encodeUpdate: encodeUpdateMessage,
    encodeAwareness: encodeAwarenessMessage,
    onSaved: (workshopId) => snapshots.noteSaved(workshopId),
    onRefusal: (room, peer, refusal) => signals.refused(room, peer, refusal),
    onDocumentChange: (room) => signals.documentChanged(room),
    prepare: async (room) => room.setBoards((await controls.get(room.workshopId)).snapshot().boards),
    onOccupancyChange: (workshopId) => occupancy.schedule(workshopId),
    onAllUnloaded: () => idleMemory.allRoomsUnloaded()
  });
  const controls = new ControlRegistry({
    store,
    logger,
    onChange: (workshopId, control) => {
      io?.to(channels.workshop(workshopId)).emit('control:state', control.snapshot());
      const boards = control.snapshot().boards;
      // Applied before the command is acknowledged, so the next edit already meets the new rules.
      rooms.eachRoomOf(workshopId, (room) => room.setBoards(boards));
    }
  });
  const snapshots = new SnapshotService({ store, rooms, controls, logger });
  io = createControlServer(httpServer, {
    workshops,
    rooms,
    controls,
    snapshots,
    privateCards: signals.privateCards,
    logger,
    commandRate: { burst: config.rates.commandsBurst, perSecond: config.rates.commandsPerSecond },
    onIdentified: (req, workshopId) => limits.known.see(clientAddress(req, trust), workshopId)
  });
  const yjs = new YjsEndpoint({ rooms, workshops, logger, heartbeatMs: config.yjsHeartbeatMs });
  httpServer.on('upgrade', (req, socket, head) => {
    if (yjs.handles(req)) yjs.upgrade(req, socket, head);
  });

  const cards = new CardService(workshops, rooms, controls);
  const notes = new NotesService({ store, rooms, controls, workshops });
  const requireAdmin = adminCheck(config.adminToken);
  const version = deps.version ?? process.env.GOLDTHREAD_VERSION ?? '0.1.0';
  app.use(
    '/api',
    limitsRouter({ limits, workshops, logger, trustsProxy: config.trustProxy !== false }),
    // Notes first: its import route reads the raw body itself, with a larger limit.
    notesRouter({ notes, workshops, controls, requireAdmin }),
    apiRouter({ workshops, cards, snapshots, requireAdmin, version, startedAt: Date.now() }),
    apiNotFound
  );
  app.use(await loadWebApp(config.webBuildDir, logger));
  app.use(jsonErrors(logger));

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      io.emit('server:restarting', { message: 'The server is restarting; you will be reconnected.' });
      yjs.closeAll();
      io.disconnectSockets(true);
      controls.close();
      signals.close();
      idleMemory.close();
      occupancy.cancel();
      await rooms.close();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      httpServer.closeAllConnections();
      await stopped;
      await store.close();
    })();
    return closing;
  };

  const listen = (port: number, host: string) =>
    new Promise<AddressInfo>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(port, host, () => {
        httpServer.off('error', reject);
        resolve(httpServer.address() as AddressInfo);
      });
    });

  return { httpServer, io, rooms, store, listen, close };
}
