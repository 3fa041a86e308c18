import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RATES } from '@goldthread/shared';

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
  /**
   * Express `trust proxy`: false (the default) limits by the connection's own address; behind a
   * reverse proxy, a hop count or the proxy's addresses/subnets (`loopback`, `10.0.0.0/8`, ...) make
   * the limits count the client address from X-Forwarded-For instead.
   */
  trustProxy: TrustProxy;
  /** Per-address and per-connection rates; the defaults are far above what a venue ever does. */
  rates: RateSettings;
}

/** Which proxies to believe about the client's address (see `ServerConfig.trustProxy`). */
export type TrustProxy = false | number | string[];

/** Rates the server enforces; each excess is answered `rate_limited`. */
export interface RateSettings {
  /** Wrong join codes, facilitator keys and notes credentials per address: a burst, then this many a second. */
  failedAttemptsBurst: number;
  failedAttemptsPerSecond: number;
  /** Workshops created or imported per address: a burst, then this many a second. */
  creationsBurst: number;
  creationsPerSecond: number;
  /** Socket.IO commands per connection: a burst, then this many a second. */
  commandsBurst: number;
  commandsPerSecond: number;
}

/** A venue's busiest moments stay far below these; a script does not. */
export const DEFAULT_RATES: RateSettings = {
  failedAttemptsBurst: RATES.failedJoinsBurst,
  failedAttemptsPerSecond: RATES.failedJoinsPerSecond,
  // Thirty facilitators behind one address may each create a workshop at once; then one every two minutes.
  creationsBurst: 30,
  creationsPerSecond: 1 / 120,
  // A facilitator clicks a few times a second at most; a screen sends a handful of commands when it opens.
  commandsBurst: 60,
  commandsPerSecond: 20
};

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
    trustProxy: trustProxyFrom(env.GOLDTHREAD_TRUST_PROXY),
    rates: DEFAULT_RATES
  };
}

/** One proxy name Express knows, an IPv4/IPv6 address, or a subnet in CIDR form. */
const PROXY_ENTRY = /^(loopback|linklocal|uniquelocal|[0-9a-f.:]+(\/\d{1,3})?)$/i;

/**
 * `GOLDTHREAD_TRUST_PROXY`: empty or "false" for none, a hop count ("1"), or a comma-separated
 * list of proxies. "true" (believe any X-Forwarded-For) is refused: every client could then
 * choose its own address and step around the limits.
 */
function trustProxyFrom(raw: string | undefined): TrustProxy {
  const value = raw?.trim() ?? '';
  if (value === '' || value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value.split(',').map((entry) => entry.trim()).filter(Boolean);
  const wrong = entries.find((entry) => !PROXY_ENTRY.test(entry));
  if (wrong !== undefined || entries.length === 0) {
    throw new Error(
      `GOLDTHREAD_TRUST_PROXY must be a hop count or a comma-separated list of proxy addresses or subnets (loopback, 10.0.0.0/8, ...), got "${raw}"` +
        (value === 'true' ? ': "true" would let every client choose its own address' : '')
    );
  }
  return entries;
}
