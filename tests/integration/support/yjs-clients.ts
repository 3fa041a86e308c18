import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { roomDocName } from '@goldthread/shared';

export interface ProviderClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Resolves once the first sync with the server completed. */
  synced: Promise<void>;
  destroy(): void;
}

/** A stock y-websocket client, exactly as an outside tool would connect. */
export function connectProvider(wsUrl: string, workshopId: string, roomId: string, token?: string): ProviderClient {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(wsUrl, roomDocName(workshopId, roomId), doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: token === undefined ? {} : { token },
    disableBc: true,
    maxBackoffTime: 200
  });
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve();
    else provider.once('sync', (isSynced: boolean) => isSynced && resolve());
  });
  return {
    doc,
    provider,
    synced,
    destroy() {
      provider.destroy();
      doc.destroy();
    }
  };
}

/** Waits until `check(doc)` holds, re-checking on every document update; fails after `timeoutMs`. */
export function waitForDoc(doc: Y.Doc, check: (doc: Y.Doc) => boolean, timeoutMs = 5000, what = 'document condition'): Promise<void> {
  return new Promise((resolve, reject) => {
    if (check(doc)) {
      resolve();
      return;
    }
    const onUpdate = () => {
      if (!check(doc)) return;
      clearTimeout(timer);
      doc.off('update', onUpdate);
      resolve();
    };
    const timer = setTimeout(() => {
      doc.off('update', onUpdate);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    doc.on('update', onUpdate);
  });
}

/** Resolves with a promise's value, or rejects after `timeoutMs` naming what was awaited. */
export function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      }
    );
  });
}

/** Opens a raw websocket and reports how the server answered the upgrade. */
export function rawUpgrade(url: string): Promise<{ status: number; body: string; socket?: WebSocket }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.on('open', () => resolve({ status: 101, body: '', socket }));
    socket.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    socket.on('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}
