import { mkdtemp, readdir, readFile, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileJournalStore, frameRecord, readRecords } from '../../server/src/store/file-journal.js';

const bytes = (...values: number[]) => new Uint8Array(values);
const newStore = async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'goldthread-journal-'));
  const errors: unknown[] = [];
  return { dir, errors, store: new FileJournalStore(dir, { fsyncIntervalMs: 10, onError: (e) => errors.push(e) }) };
};

describe('journal records', () => {
  it('reads back every framed record in order', () => {
    const file = Buffer.concat([frameRecord(bytes(1, 2, 3)), frameRecord(bytes()), frameRecord(bytes(9))]);
    expect(readRecords(file)).toEqual({ records: [bytes(1, 2, 3), bytes(), bytes(9)], problem: null });
  });

  it('ignores a torn final record and keeps the ones before it', () => {
    const whole = Buffer.concat([frameRecord(bytes(1, 2)), frameRecord(bytes(3, 4, 5, 6))]);
    for (let cut = whole.length - 1; cut > frameRecord(bytes(1, 2)).length; cut--) {
      const read = readRecords(whole.subarray(0, cut));
      expect(read.records).toEqual([bytes(1, 2)]);
      expect(read.problem).toMatch(/torn/);
    }
  });

  it('stops at a damaged record (checksum mismatch) instead of applying garbage', () => {
    const file = Buffer.concat([frameRecord(bytes(1)), frameRecord(bytes(2, 2)), frameRecord(bytes(3))]);
    file[frameRecord(bytes(1)).length + 8] ^= 0xff; // the first byte of the second record's payload
    const read = readRecords(file);
    expect(read.records).toEqual([bytes(1)]);
    expect(read.problem).toMatch(/damaged/);
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
    const reopened = await new FileJournalStore(dir, { fsyncIntervalMs: 10, onError: () => undefined }).open('w1', 'r1');
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
