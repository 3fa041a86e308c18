/**
 * Diagnostic (not part of the suite): what one broadcast costs the sending process, by `ws` version and
 * send path, with nothing else in the process. Settles whether the reference server's lower CPU per
 * delivery in the fan-out comes from its older `ws` (6.2.7) rather than from Goldthread's own work.
 *
 *   tsx bench/diagnose-ws-send.ts [clients=1000] [messages=200] [bytes=300]
 *
 * For each variant a fresh server process accepts the clients, then sends `messages` messages of `bytes`
 * to every client, 10 a second (the fan-out's 5 writers × 2 cards/s). It reports CPU time (user + system,
 * from `process.cpuUsage`) per delivery and the time the sending loop held the event loop per message;
 * the client process checks every copy arrived. Variants run twice, in alternating order.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

type Variant = 'ws6' | 'ws8' | 'ws8-no-callback' | 'ws8-frame-list' | 'ws8-one-frame' | 'ws8-one-frame-no-callback';
const VARIANTS: Variant[] = ['ws6', 'ws8', 'ws8-no-callback', 'ws8-frame-list', 'ws8-one-frame', 'ws8-one-frame-no-callback'];

interface ServerReport {
  cpuMicrosPerDelivery: number;
  loopMsPerMessage: { p50: number; p99: number };
}

const here = fileURLToPath(import.meta.url);

function loadWs(variant: Variant): { Server: new (options: object) => any; Sender: any } {
  // ws 6 as the reference server resolves it; ws 8 as Goldthread's server does.
  const fromTests = createRequire(here);
  const packageJson =
    variant === 'ws6'
      ? fromTests.resolve('@y/websocket-server/package.json')
      : fileURLToPath(new URL('../../server/package.json', import.meta.url));
  const fromPackage = createRequire(packageJson);
  const ws = fromPackage('ws');
  return { Server: ws.Server ?? ws.WebSocketServer, Sender: ws.Sender };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function serve(variant: Variant): Promise<void> {
  const { Server, Sender } = loadWs(variant);
  const sockets: any[] = [];
  const server = new Server({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  server.on('connection', (socket: any) => sockets.push(socket));
  server.on('listening', () => process.send!({ port: server.address().port }));
  const afterSend = (error?: Error) => {
    if (error) throw error;
  };
  process.on('message', async (message: { messages: number; bytes: number }) => {
    const payload = Buffer.alloc(message.bytes, 7);
    const loops: number[] = [];
    const before = process.cpuUsage();
    for (let i = 0; i < message.messages; i++) {
      payload.writeUInt32BE(i, 0);
      const copy = Buffer.from(payload);
      const start = performance.now();
      if (variant === 'ws8-no-callback') for (const socket of sockets) socket.send(copy);
      else if (variant === 'ws8-frame-list') {
        // Socket.IO's broadcast: the frame's header and payload built once, written as two corked writes.
        const list = Sender.frame(copy, { fin: true, rsv1: false, opcode: 2, mask: false, readOnly: false });
        for (const socket of sockets) socket._sender.sendFrame(list, afterSend);
      } else if (variant === 'ws8-one-frame') {
        // The frame built once (unmasked, binary, final) and written whole: ws's private sender API.
        const frame = Buffer.concat(Sender.frame(copy, { fin: true, rsv1: false, opcode: 2, mask: false, readOnly: false }));
        for (const socket of sockets) socket._sender.sendFrame([frame], afterSend);
      } else if (variant === 'ws8-one-frame-no-callback') {
        // The same, leaving write errors to the socket's 'error' event (ws then closes the connection).
        const frame = Buffer.concat(Sender.frame(copy, { fin: true, rsv1: false, opcode: 2, mask: false, readOnly: false }));
        for (const socket of sockets) socket._sender.sendFrame([frame]);
      }
      else for (const socket of sockets) socket.send(copy, afterSend);
      loops.push(performance.now() - start);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const used = process.cpuUsage(before);
    loops.sort((a, b) => a - b);
    const report: ServerReport = {
      cpuMicrosPerDelivery: (used.user + used.system) / (message.messages * sockets.length),
      loopMsPerMessage: { p50: percentile(loops, 50), p99: percentile(loops, 99) },
    };
    process.send!(report);
  });
}

async function runVariant(variant: Variant, clients: number, messages: number, bytes: number): Promise<ServerReport> {
  const child: ChildProcess = fork(here, ['--serve', variant], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  try {
    const { port } = await new Promise<{ port: number }>((resolve) => child.once('message', resolve as never));
    const { WebSocket } = await import('ws');
    let received = 0;
    const open: Promise<void>[] = [];
    const connections: InstanceType<typeof WebSocket>[] = [];
    for (let i = 0; i < clients; i++) {
      const socket = new WebSocket(`ws://127.0.0.1:${port}/`);
      socket.on('message', () => received++);
      connections.push(socket);
      open.push(new Promise((resolve, reject) => (socket.once('open', () => resolve()), socket.once('error', reject))));
    }
    await Promise.all(open);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const reportPromise = new Promise<ServerReport>((resolve) => child.once('message', resolve as never));
    child.send({ messages, bytes });
    const report = await reportPromise;
    const deadline = Date.now() + 10_000;
    while (received < clients * messages && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (received !== clients * messages) throw new Error(`${variant}: ${received} of ${clients * messages} arrived`);
    for (const socket of connections) socket.terminate();
    return report;
  } finally {
    child.kill();
  }
}

async function main(): Promise<void> {
  const [clients = 1000, messages = 200, bytes = 300] = process.argv.slice(2).map(Number);
  console.log(`${clients} clients × ${messages} messages of ${bytes} bytes, 10 per second`);
  const rows: Array<{ variant: Variant; round: number } & ServerReport> = [];
  for (let round = 1; round <= 2; round++) {
    const order = round % 2 === 1 ? VARIANTS : [...VARIANTS].reverse();
    for (const variant of order) {
      const report = await runVariant(variant, clients, messages, bytes);
      rows.push({ variant, round, ...report });
      console.log(
        `${variant.padEnd(26)} round ${round}: ${report.cpuMicrosPerDelivery.toFixed(2)} µs CPU per delivery; ` +
          `send loop p50 ${report.loopMsPerMessage.p50.toFixed(2)} ms, p99 ${report.loopMsPerMessage.p99.toFixed(2)} ms`,
      );
    }
  }
  const mean = (variant: Variant) => {
    const mine = rows.filter((row) => row.variant === variant);
    return mine.reduce((sum, row) => sum + row.cpuMicrosPerDelivery, 0) / mine.length;
  };
  for (const variant of VARIANTS) {
    console.log(`${variant.padEnd(26)} mean ${mean(variant).toFixed(2)} µs per delivery, ${(mean(variant) / mean('ws6')).toFixed(2)}× ws6`);
  }
}

if (process.argv[2] === '--serve') void serve(process.argv[3] as Variant);
else await main();
