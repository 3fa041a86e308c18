import { mkdtemp, readdir, readFile, writeFile, appendFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { FileJournalStore, frameRecord, readRecords } from '../../server/src/store/file-journal.js';
import type { Disk } from '../../server/src/store/disk.js';
import { fillJournalGaps } from '../../server/src/rooms/journal-gaps.js';
import type { Logger } from '../../server/src/logger.js';
import { FailingDisk } from '../integration/support/failing-disk.js';

const bytes = (...values: number[]) => new Uint8Array(values);
/** A logger that keeps what it is told, to check what an operator would read. */
function recordingLogger() {
  const lines: { level: 'info' | 'warn' | 'error'; message: string }[] = [];
  const logger: Logger = {
    info: (message) => lines.push({ level: 'info', message }),
    warn: (message) => lines.push({ level: 'warn', message }),
    error: (message) => lines.push({ level: 'error', message })
  };
  return { lines, logger };
}
const silent = recordingLogger().logger;
const newStore = async (disk?: Disk) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'goldthread-journal-'));
  const { lines, logger } = recordingLogger();
  return { dir, lines, store: new FileJournalStore(dir, { fsyncIntervalMs: 10, logger, ...(disk && { disk }) }) };
};

describe('journal records', () => {
  it('reads back every framed record in order', () => {
    const file = Buffer.concat([frameRecord(bytes(1, 2, 3)), frameRecord(bytes()), frameRecord(bytes(9))]);
    expect(readRecords(file)).toEqual({ records: [bytes(1, 2, 3), bytes(), bytes(9)], problems: [], damaged: false });
  });

  it('ignores a torn final record and keeps the ones before it', () => {
    const whole = Buffer.concat([frameRecord(bytes(1, 2)), frameRecord(bytes(3, 4, 5, 6))]);
    for (let cut = whole.length - 1; cut > frameRecord(bytes(1, 2)).length; cut--) {
      const read = readRecords(whole.subarray(0, cut));
      expect(read.records).toEqual([bytes(1, 2)]);
      expect(read.problems).toEqual([expect.stringMatching(/torn/)]);
      expect(read.damaged).toBe(false);
    }
  });

  it('skips a damaged record (checksum mismatch) and keeps every intact one after it', () => {
    const file = Buffer.concat([frameRecord(bytes(1)), frameRecord(bytes(2, 2)), frameRecord(bytes(3))]);
    file[frameRecord(bytes(1)).length + 8] ^= 0xff; // the first byte of the second record's payload
    const read = readRecords(file);
    expect(read.records).toEqual([bytes(1), bytes(3)]);
    expect(read.problems).toEqual([expect.stringMatching(/damaged bytes 9–18 skipped/)]);
    expect(read.damaged).toBe(true);
  });

  it('one flipped byte anywhere in a journal costs at most the record it hit', () => {
    const updates = Array.from({ length: 12 }, (_, i) => bytes(...Array.from({ length: 5 + ((i * 7) % 23) }, (_, j) => (i * 31 + j) & 0xff)));
    const records = updates.map(frameRecord);
    const file = Buffer.concat(records);
    let start = 0;
    for (const [index, record] of records.entries()) {
      for (let at = start; at < start + record.length; at++) {
        for (const flip of [0x01, 0x80, 0xff]) {
          const damaged = Buffer.from(file);
          damaged[at] ^= flip;
          const read = readRecords(damaged);
          expect(read.records).toEqual(updates.filter((_, i) => i !== index));
          // A final record whose length grew past the end looks like a torn one; either way it is reported.
          expect(read.problems).toHaveLength(1);
        }
      }
      start += record.length;
    }
  });

  it('a damaged final record is reported as damage, not as a torn tail', () => {
    const file = Buffer.concat([frameRecord(bytes(1)), frameRecord(bytes(2, 2))]);
    file[file.length - 1] ^= 0x10;
    const read = readRecords(file);
    expect(read.records).toEqual([bytes(1)]);
    expect(read.damaged).toBe(true);
  });
});

describe('file journal', () => {
  it('makes appended updates durable within the fsync interval and replays them on open', async () => {
    const { dir, store } = await newStore();
    const { journal } = await store.open('w1', 'r1');
    journal.append(bytes(1));
    journal.append(bytes(2, 3));
    await journal.flush();
    // A second process opening the same files (as after a crash) sees both.
    const reopened = await new FileJournalStore(dir, { fsyncIntervalMs: 10, logger: silent }).open('w1', 'r1');
    expect(reopened.updates).toEqual([bytes(1), bytes(2, 3)]);
    expect(reopened.problems).toEqual([]);
    await journal.close();
    await reopened.journal.close();
  });

  it('appends after a restart go to a new generation, so a torn tail is never extended', async () => {
    const { dir, store } = await newStore();
    const first = await store.open('w1', 'r1');
    first.journal.append(bytes(7));
    await first.journal.close();
    const roomDir = path.join(dir, 'w1', 'r1');
    await appendFile(path.join(roomDir, '1.log'), Buffer.from([5, 0, 0])); // torn header
    const second = await store.open('w1', 'r1');
    expect(second.updates).toEqual([bytes(7)]);
    expect(second.problems).toHaveLength(1);
    second.journal.append(bytes(8));
    await second.journal.close();
    expect((await readdir(roomDir)).sort()).toEqual(['1.log', '2.log']);
    const third = await store.open('w1', 'r1');
    expect(third.updates).toEqual([bytes(7), bytes(8)]);
    await third.journal.close();
  });

  it('dropping sealed generations keeps what was appended after the seal', async () => {
    const { dir, store } = await newStore();
    const { journal } = await store.open('w1', 'r1');
    journal.append(bytes(1));
    const sealed = journal.seal();
    journal.append(bytes(2));
    await journal.dropThrough(sealed);
    await journal.close();
    const reopened = await store.open('w1', 'r1');
    expect(reopened.updates).toEqual([bytes(2)]);
    await reopened.journal.close();
    expect(await readdir(path.join(dir, 'w1', 'r1'))).not.toContain(`${sealed}.log`);
  });

  it('an empty journal file is not a problem', async () => {
    const { dir, store } = await newStore();
    const first = await store.open('w1', 'r1');
    await first.journal.close();
    await writeFile(path.join(dir, 'w1', 'r1', '4.log'), '');
    const opened = await store.open('w1', 'r1');
    expect(opened.updates).toEqual([]);
    expect(opened.problems).toEqual([]);
    opened.journal.append(bytes(1));
    await opened.journal.close();
    expect(await readFile(path.join(dir, 'w1', 'r1', '5.log'))).toEqual(frameRecord(bytes(1)));
  });
});

describe('a damaged journal file', () => {
  it('is renamed aside, never deleted, once a snapshot holds what could be read of it; the log says where', async () => {
    const { dir, store, lines } = await newStore();
    const first = await store.open('w1', 'r1');
    for (const n of [1, 2, 3]) first.journal.append(bytes(n, n, n));
    await first.journal.close();
    const roomDir = path.join(dir, 'w1', 'r1');
    const damagedBytes = await readFile(path.join(roomDir, '1.log'));
    damagedBytes[frameRecord(bytes(1, 1, 1)).length + 9] ^= 0x04;
    await writeFile(path.join(roomDir, '1.log'), damagedBytes);

    const opened = await store.open('w1', 'r1');
    expect(opened.updates).toEqual([bytes(1, 1, 1), bytes(3, 3, 3)]);
    expect(opened.problems.join('\n')).toMatch(/1\.log\.damaged/);
    // The room saves a snapshot: the sealed generations are dropped, but the damaged one is kept aside.
    opened.journal.append(bytes(4));
    const sealed = opened.journal.seal();
    await opened.journal.dropThrough(sealed);
    await opened.journal.close();
    expect((await readdir(roomDir)).sort()).toEqual(['1.log.damaged']);
    expect(await readFile(path.join(roomDir, '1.log.damaged'))).toEqual(damagedBytes);
    expect(lines).toContainEqual({ level: 'warn', message: expect.stringContaining('1.log.damaged') });
    // Kept aside, it is not replayed again.
    const again = await store.open('w1', 'r1');
    expect(again.updates).toEqual([]);
    expect(again.problems).toEqual([]);
    await again.journal.close();
  });
});

describe('a journal on a failing disk', () => {
  it('rejects the flush, leaves no half record in the file, and writes everything once the disk works again', async () => {
    const disk = new FailingDisk();
    const { dir, store, lines } = await newStore(disk);
    const { journal } = await store.open('w1', 'r1');
    journal.append(bytes(1));
    await journal.flush();
    disk.fail('ENOSPC');
    journal.append(bytes(2, 2, 2, 2, 2, 2));
    await expect(journal.flush()).rejects.toMatchObject({ code: 'unavailable', cause: expect.objectContaining({ code: 'ENOSPC' }) });
    expect((await stat(path.join(dir, 'w1', 'r1', '1.log'))).size).toBe(frameRecord(bytes(1)).length);
    expect(lines.filter((line) => line.level === 'error')).toHaveLength(1);
    journal.append(bytes(3));
    await expect(journal.flush()).rejects.toMatchObject({ code: 'unavailable' });
    expect(lines.filter((line) => line.level === 'error')).toHaveLength(1); // once per outage, not per attempt
    disk.heal();
    // Retried without another edit or flush.
    const deadline = Date.now() + 5000;
    while (!lines.some((line) => line.level === 'info' && /works again/.test(line.message))) {
      if (Date.now() > deadline) throw new Error('the journal did not write again after the disk recovered');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await journal.close();
    const reopened = await store.open('w1', 'r1');
    expect(reopened.updates).toEqual([bytes(1), bytes(2, 2, 2, 2, 2, 2), bytes(3)]);
    expect(reopened.problems).toEqual([]);
    await reopened.journal.close();
  });
});

describe('replaying a journal with a lost record', () => {
  it('applies every later edit of the same writer; only the lost one is missing', () => {
    const writer = new Y.Doc();
    const updates: Uint8Array[] = [];
    writer.on('update', (update: Uint8Array) => updates.push(update));
    for (let i = 0; i < 6; i++) writer.getMap('cards').set(`card-${i}`, `text ${i}`);
    const room = new Y.Doc();
    for (const [i, update] of updates.entries()) if (i !== 2) Y.applyUpdate(room, update);
    expect([...room.getMap('cards').keys()].sort()).toEqual(['card-0', 'card-1']);
    for (let filler = fillJournalGaps(room); filler; filler = fillJournalGaps(room)) Y.applyUpdate(room, filler);
    expect([...room.getMap('cards').keys()].sort()).toEqual(['card-0', 'card-1', 'card-3', 'card-4', 'card-5']);
    expect(room.store.pendingStructs).toBeNull();
  });
});

describe('replaying a journal whose lost record others built on', () => {
  it('still applies what another writer did afterwards', () => {
    const updates: Uint8Array[] = [];
    const first = new Y.Doc();
    const second = new Y.Doc();
    // Each writer's own edits reach the other and the journal; what arrives from the other is not sent back.
    const relay = (from: Y.Doc, to: Y.Doc) =>
      from.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin === 'relay') return;
        updates.push(update);
        Y.applyUpdate(to, update, 'relay');
      });
    relay(first, second);
    relay(second, first);
    const card = new Y.Map<string>();
    first.getMap('cards').set('lost', card); // the record that will be damaged
    (second.getMap('cards').get('lost') as Y.Map<string>).set('text', 'edited by someone else');
    second.getMap('cards').set('later', new Y.Map());
    const room = new Y.Doc();
    for (const [i, update] of updates.entries()) if (i !== 0) Y.applyUpdate(room, update);
    expect([...room.getMap('cards').keys()]).toEqual([]);
    for (let filler = fillJournalGaps(room); filler; filler = fillJournalGaps(room)) Y.applyUpdate(room, filler);
    expect([...room.getMap('cards').keys()]).toEqual(['later']);
    expect(room.store.pendingStructs).toBeNull();
  });
});
