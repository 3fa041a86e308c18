import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Everything the server can be told, read once at start (env + defaults). */
export interface ServerConfig {
  port: number;
  host: string;
  /** Where workshop files and the token secret live. */
  dataDir: string;
  /** The built SvelteKit app (adapter-node output); null serves the API only. */
  webBuildDir: string | null;
  /** HMAC secret for tokens; when absent one is generated and kept in the data dir. */
  secret: string | null;
  /** A room's state is saved after this much quiet... */
  saveQuietMs: number;
  /** ...and at least this often while edits keep coming. */
  saveMaxMs: number;
  /** A room with no connections is saved at once and unloaded after this long. */
  roomIdleUnloadMs: number;
  /** How often each Yjs connection is pinged; one that missed the last ping (lost Wi-Fi) is dropped. */
  yjsHeartbeatMs: number;
  /** Write-ahead journal of every edit (on by default); fsynced in groups this often. */
  journal: boolean;
  journalFsyncMs: number;
  participantTokenTtlSeconds: number;
  facilitatorTokenTtlSeconds: number;
  logLevel: LogLevel;
  /** When set, creating or importing a workshop needs `Authorization: Bearer <admin token>`. */
  adminToken: string | null;
  /** How many days after its date a workshop's record is kept; the join screen says so. */
  retentionDays: number;
  /** How often the server looks for workshops past their retention period (besides at start). */
  retentionSweepMs: number;
}

export type LogLevel = 'silent' | 'error' | 'warn' | 'info';

const here = path.dirname(fileURLToPath(import.meta.url));
/** web/build relative to server/src or server/dist — both sit two levels below the repo root. */
const defaultWebBuild = path.resolve(here, '../../web/build');

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a whole number, got "${raw}"`);
  }
  return value;
}

/** Reads the configuration from environment variables, with defaults for a venue laptop. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const logLevel = (env.GOLDTHREAD_LOG_LEVEL ?? 'info') as LogLevel;
  if (!['silent', 'error', 'warn', 'info'].includes(logLevel)) {
    throw new Error(`GOLDTHREAD_LOG_LEVEL must be silent, error, warn or info, got "${logLevel}"`);
  }
  return {
    port: intFrom(env, 'PORT', 3000),
    host: env.HOST || '0.0.0.0',
    dataDir: path.resolve(env.GOLDTHREAD_DATA_DIR || './data'),
    webBuildDir: env.GOLDTHREAD_WEB_BUILD === 'none' ? null : path.resolve(env.GOLDTHREAD_WEB_BUILD || defaultWebBuild),
    secret: env.GOLDTHREAD_SECRET || null,
    saveQuietMs: intFrom(env, 'GOLDTHREAD_SAVE_QUIET_MS', 2000),
    saveMaxMs: intFrom(env, 'GOLDTHREAD_SAVE_MAX_MS', 10_000),
    roomIdleUnloadMs: intFrom(env, 'GOLDTHREAD_ROOM_IDLE_MS', 30_000),
    yjsHeartbeatMs: 30_000,
    journal: env.GOLDTHREAD_JOURNAL !== 'off',
    journalFsyncMs: Math.min(intFrom(env, 'GOLDTHREAD_JOURNAL_FSYNC_MS', 50), 100),
    participantTokenTtlSeconds: intFrom(env, 'GOLDTHREAD_PARTICIPANT_TTL_S', 30 * 24 * 3600),
    facilitatorTokenTtlSeconds: intFrom(env, 'GOLDTHREAD_FACILITATOR_TTL_S', 24 * 3600),
    logLevel,
    adminToken: env.GOLDTHREAD_ADMIN_TOKEN || null,
    retentionDays: intFrom(env, 'GOLDTHREAD_RETENTION_DAYS', 365),
    retentionSweepMs: 3600_000
  };
}
