import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDataset } from '@collab-ts/tooling/test/data';
import { makeTmp } from '../test-helpers.js';
import { ChecksumError, DatasetUnavailableError, downloadDataset, ensureDataset, loadDataset } from './download.js';
import { findDataset } from './find.js';
import { openRatings } from './open.js';

const tmp = makeTmp();
const zips = new Map<string, Uint8Array>();
let server: Server;
let baseUrl = '';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  server = createServer((req, res) => {
    // one connection per request: fetch keeps idle sockets for reuse, and when a test blocks the event loop for
    // longer than the server's keep-alive timeout (zipping the real ml-100k on a loaded machine), the next fetch
    // can pick a socket the server is closing and fail with ECONNRESET
    res.setHeader('connection', 'close');
    const body = zips.get(req.url ?? '');
    if (!body) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/zip', 'content-length': String(body.length) });
    // send in two pieces so progress is reported more than once
    res.write(body.subarray(0, body.length >> 1));
    setTimeout(() => res.end(body.subarray(body.length >> 1)), 5);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/files`;
  zips.set(
    '/files/ml-latest-small.zip',
    zipSync({
      'ml-latest-small/ratings.csv': strToU8('userId,movieId,rating,timestamp\n1,1,4.0,964982703\n2,1,3.5,964982704\n'),
      'ml-latest-small/movies.csv': strToU8('movieId,title,genres\n1,"Toy Story (1995)",Animation\n'),
    }),
  );
  zips.set('/files/ml-100k.zip', zipSync({ 'ml-100k/README': strToU8('not the real README'), 'ml-100k/u.data': strToU8('1\t1\t5\t1\n') }));
});
afterAll(() => {
  server.close();
  tmp.cleanup();
});

/** Everything left in a cache folder (hidden temporaries included). */
const contents = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir) : []);

describe('downloadDataset (local HTTP server)', () => {
  it('downloads with progress, verifies the SHA-256, extracts and is then found', async () => {
    const cacheDir = join(tmp.dir, 'cache-ok');
    const progress: [number, number | undefined][] = [];
    const zip = zips.get('/files/ml-latest-small.zip')!;
    const dir = await downloadDataset('ml-latest-small', { cacheDir, baseUrl, sha256: sha(zip), onProgress: (r, t) => progress.push([r, t]) });
    expect(dir).toBe(join(cacheDir, 'ml-latest-small'));
    expect(contents(cacheDir)).toEqual(['ml-latest-small']);
    expect(readFileSync(join(dir, 'movies.csv'), 'utf8')).toContain('Toy Story');
    // chunks may coalesce on a busy machine: at least one report, and the last one is the whole file
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress.at(-1)![0]).toBe(zip.length);
    expect(progress.at(-1)).toEqual([zip.length, zip.length]);
    expect(findDataset('ml-latest-small', { cacheDir, dataDir: join(tmp.dir, 'nowhere') })).toBe(dir);
    const loaded = await loadDataset('ml-latest-small', { cacheDir, dataDir: join(tmp.dir, 'nowhere'), baseUrl: 'http://127.0.0.1:1/unused' });
    expect(loaded.dataset.ratings.ratings.length).toBe(2);
    expect(loaded.dataset.items.title(0)).toBe('Toy Story (1995)');
  });

  it('rejects an archive checksum mismatch and leaves nothing behind', async () => {
    const cacheDir = join(tmp.dir, 'cache-bad');
    const p = downloadDataset('ml-latest-small', { cacheDir, baseUrl, sha256: '0'.repeat(64) });
    await expect(p).rejects.toBeInstanceOf(ChecksumError);
    await expect(downloadDataset('ml-latest-small', { cacheDir, baseUrl, sha256: '0'.repeat(64) })).rejects.toThrow(/SHA-256 mismatch: expected 0{64}, got [0-9a-f]{64}/);
    expect(contents(cacheDir)).toEqual([]);
  });

  it('checks ml-100k files against the pinned per-file hashes', async () => {
    const cacheDir = join(tmp.dir, 'cache-100k');
    const p = downloadDataset('ml-100k', { cacheDir, baseUrl });
    await expect(p).rejects.toBeInstanceOf(ChecksumError);
    await expect(downloadDataset('ml-100k', { cacheDir, baseUrl })).rejects.toThrow(/ml-100k\.zip!ml-100k\/README: SHA-256 mismatch: expected 4883b8cf/);
    expect(contents(cacheDir)).toEqual([]);
  });

  it('reports HTTP errors and leaves nothing behind', async () => {
    const cacheDir = join(tmp.dir, 'cache-404');
    await expect(downloadDataset('ml-1m', { cacheDir, baseUrl })).rejects.toThrow(/HTTP 404/);
    expect(contents(cacheDir)).toEqual([]);
    await expect(downloadDataset('nope', { cacheDir, baseUrl })).rejects.toThrow(/unknown dataset "nope"/);
    await expect(downloadDataset('ml-1m', { cacheDir, baseUrl: 'http://127.0.0.1:1' })).rejects.toThrow(/ml-1m\.zip: download failed/);
    expect(contents(cacheDir)).toEqual([]);
  });

  it('ensureDataset prefers $COLLAB_DATA_DIR-style folders over downloading', async () => {
    tmp.write('data/ml-1m/ratings.dat', '1::1::5::1\n');
    const dir = await ensureDataset('ml-1m', { dataDir: join(tmp.dir, 'data'), cacheDir: join(tmp.dir, 'cache-x'), baseUrl: 'http://127.0.0.1:1' });
    expect(dir).toBe(join(tmp.dir, 'data', 'ml-1m'));
    const byName = await openRatings('ml-1m', { dataDir: join(tmp.dir, 'data'), cacheDir: join(tmp.dir, 'cache-x') });
    expect(byName.format).toBe('ml-1m');
    expect(byName.dataset.source).toBe('ml-1m');
    const byPath = await openRatings(join(tmp.dir, 'data', 'ml-1m', 'ratings.dat'));
    expect(byPath.dataset.ratings.ratings.length).toBe(1);
  });

  it('offline and with no local copy, says where it looked and how to provide the files', async () => {
    const cacheDir = join(tmp.dir, 'cache-offline');
    // what undici's fetch throws when DNS fails
    const offline = (async () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: new Error('getaddrinfo ENOTFOUND files.grouplens.org') });
    }) as typeof fetch;
    const err = await ensureDataset('ml-100k', { cacheDir, dataDir: join(tmp.dir, 'no-data-here'), fetch: offline }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetUnavailableError);
    const e = err as DatasetUnavailableError;
    expect(e.exitCode).toBe(1);
    expect(e.message).toMatch(/^ml-100k: not on this machine, and the download failed \(.*ml-100k\.zip: download failed: fetch failed \(getaddrinfo ENOTFOUND files\.grouplens\.org\)\)/);
    expect(e.message).toContain(`looked in dataDir/ml-100k: ${join(tmp.dir, 'no-data-here', 'ml-100k')} (no such folder)`);
    expect(e.message).toContain(`looked in the download cache: ${join(cacheDir, 'ml-100k')}`);
    expect(e.message).toContain(`set COLLAB_DATA_DIR to the folder that holds ml-100k/, or put the unzipped ml-100k folder at ${join(cacheDir, 'ml-100k')}`);
    expect(e.searched.map((s) => s.path)).toEqual([join(tmp.dir, 'no-data-here', 'ml-100k'), join(cacheDir, 'ml-100k')]);

    // without a dataDir option it reports $COLLAB_DATA_DIR, set or not
    const saved = process.env.COLLAB_DATA_DIR;
    try {
      delete process.env.COLLAB_DATA_DIR;
      const unset = (await ensureDataset('ml-100k', { cacheDir, fetch: offline }).catch((x: unknown) => x)) as Error;
      expect(unset.message).toContain('looked in $COLLAB_DATA_DIR/ml-100k (COLLAB_DATA_DIR is not set)');
      tmp.write('empty-data/ml-100k/README', 'no u.data here');
      process.env.COLLAB_DATA_DIR = join(tmp.dir, 'empty-data');
      const set = (await ensureDataset('ml-100k', { cacheDir, fetch: offline }).catch((x: unknown) => x)) as Error;
      expect(set.message).toContain(`looked in $COLLAB_DATA_DIR/ml-100k: ${join(tmp.dir, 'empty-data', 'ml-100k')} (no u.data there)`);
    } finally {
      if (saved === undefined) delete process.env.COLLAB_DATA_DIR;
      else process.env.COLLAB_DATA_DIR = saved;
    }
  });

  const ml100k = testDataset('ml-100k', { files: ['u.data'], what: 'the ml-100k per-file checksum test on the real files' });
  it.skipIf(!ml100k.present)('accepts a zip of the real ml-100k files (per-file hashes match)', async () => {
    const src = ml100k.dir;
    const files: Record<string, Uint8Array> = {};
    for (const f of readdirSync(src)) files[`ml-100k/${f}`] = new Uint8Array(readFileSync(join(src, f)));
    zips.set('/files/ml-100k.zip', zipSync(files, { level: 1 }));
    const cacheDir = join(tmp.dir, 'cache-real');
    const dir = await downloadDataset('ml-100k', { cacheDir, baseUrl });
    expect(readFileSync(join(dir, 'u.data')).length).toBe(readFileSync(join(src, 'u.data')).length);
    expect(contents(cacheDir)).toEqual(['ml-100k']);
  });
});
