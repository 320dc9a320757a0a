// Browser test of the built site: serve docs/.vitepress/dist on 127.0.0.1, drive Debian's Chromium with
// playwright-core, load every page without console errors, then train in the demo and check the loss falls.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { isCI, testDataset } from '@collab-ts/tooling/test/data';
import { serveStatic, type StaticServer } from './static-server';

const here = dirname(fileURLToPath(import.meta.url));
const appDir = join(here, '..');
const dist = join(appDir, 'docs', '.vitepress', 'dist');
const reports = join(appDir, '.reports');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ml100k = testDataset('ml-100k', { files: ['u.data', 'u.item'], what: 'the browser demo on MovieLens 100k' });

const haveChromium = existsSync(CHROMIUM);
const noChromium = `Chromium not found at ${CHROMIUM}: install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH`;
if (!haveChromium && !isCI()) console.warn(`skipping the browser test: ${noChromium}`);

// In CI a missing browser is a broken environment, not a reason to skip: fail with the reason.
it.runIf(!haveChromium && isCI())('finds Chromium (required when CI is set)', () => {
  throw new Error(`${noChromium} (CI is set, so the browser test cannot be skipped)`);
});

/** Every built page as a clean URL path (`/`, `/guide/`, `/demo`, `/api/@collab-ts/core/`...). */
function pagePaths(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'assets') walk(p);
      } else if (e.name.endsWith('.html') && p !== join(root, '404.html')) {
        const rel = relative(root, p).split(sep).join('/');
        out.push(`/${rel.replace(/(^|\/)index\.html$/, '$1').replace(/\.html$/, '')}`);
      }
    }
  };
  walk(root);
  return out.sort();
}

/** Collects console errors, uncaught exceptions and failed or 4xx/5xx requests of one page. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  page.on('requestfailed', (r) => {
    // navigating away aborts VitePress's link prefetches: not an error
    const why = r.failure()?.errorText ?? '';
    if (!why.includes('ERR_ABORTED')) problems.push(`request failed: ${r.url()} (${why})`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return problems;
}

describe.skipIf(!haveChromium)('the built docs site in Chromium', () => {
  let server: StaticServer;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(join(dist, 'index.html'))) {
      throw new Error(`no built site at ${dist}: run \`pnpm --filter @collab-ts/docs build\` first`);
    }
    server = await serveStatic(dist);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-quic',
        '--no-first-run',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('serves clean URLs and .html paths', async () => {
    for (const path of ['/', '/demo', '/demo.html', '/guide/', '/benchmarks']) {
      const res = await fetch(server.url + path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
    }
    expect((await fetch(`${server.url}/no-such-page`)).status).toBe(404);
    expect((await fetch(`${server.url}/../package.json`)).status).toBe(404);
  });

  it('loads every page without console errors', async () => {
    const paths = pagePaths(dist);
    expect(paths).toContain('/');
    expect(paths).toContain('/demo');
    expect(paths).toContain('/benchmarks');
    expect(paths.filter((p) => p.startsWith('/api/')).length).toBeGreaterThan(50);
    expect(paths.filter((p) => p.startsWith('/guide/')).length).toBeGreaterThanOrEqual(10);
    const failures: string[] = [];
    const context = await browser.newContext();
    const queue = [...paths];
    // a few tabs at once: ~300 pages, most of them API reference
    const worker = async () => {
      const page = await context.newPage();
      const problems = watch(page);
      for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
        problems.length = 0;
        const res = await page.goto(server.url + path, { waitUntil: 'load' });
        if (!res || res.status() !== 200) problems.push(`status ${res?.status()}`);
        // hydration runs after load; give its errors a chance to surface
        await page.waitForFunction(() => document.querySelector('#app')?.hasChildNodes() ?? false);
        await page.waitForTimeout(20);
        if (problems.length) failures.push(`${path}: ${problems.join('; ')}`);
      }
      await page.close();
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    await context.close();
    expect(failures).toEqual([]);
  }, 240_000);

  it('shows benchmark tables read from the bench JSON files', async () => {
    const page = await browser.newPage();
    const problems = watch(page);
    await page.goto(`${server.url}/benchmarks`);
    const headings = await page.locator('.bench-section h2').allTextContents();
    expect(headings).toEqual(expect.arrayContaining(['@collab-ts/data', '@collab-ts/models', '@collab-ts/optim', '@collab-ts/eval']));
    expect(await page.locator('.bench-section table tbody tr').count()).toBeGreaterThan(10);
    // the guide's chapter-8 tables are filled from packages/train/bench/results.json
    await page.goto(`${server.url}/guide/weight-decay`);
    expect(await page.locator('.chapter8-table tbody tr').count()).toBeGreaterThanOrEqual(4);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('trains in the demo: the loss falls and the charts render', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = watch(page);
    await page.goto(`${server.url}/demo`);
    const train = page.locator('#train');
    await train.waitFor({ state: 'visible' });
    await expect.poll(() => train.isEnabled()).toBe(true);
    const epochs = Number(await page.locator('#epochs').inputValue());
    expect(epochs).toBeGreaterThanOrEqual(3);
    await train.click();
    const demo = page.locator('.collab-demo');
    // the chart grows while training runs: wait for the first epoch, then for the end
    await page.waitForFunction(() => Number(document.querySelector('.collab-demo')?.getAttribute('data-epochs')) >= 1, undefined, { timeout: 60_000 });
    await page.waitForFunction(() => ['done', 'error'].includes(document.querySelector('.collab-demo')?.getAttribute('data-status') ?? ''), undefined, { timeout: 120_000 });
    expect(await page.locator('#demo-error').count(), await page.locator('#demo-error').allTextContents().then((t) => t.join(''))).toBe(0);
    expect(await demo.getAttribute('data-status')).toBe('done');
    expect(Number(await demo.getAttribute('data-epochs'))).toBe(epochs);

    const rows = page.locator('#loss-table tbody tr');
    const train_ = (await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-train'))))) as number[];
    const valid = (await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-valid'))))) as number[];
    expect(train_).toHaveLength(epochs);
    expect(train_.every(Number.isFinite) && valid.every(Number.isFinite)).toBe(true);
    expect(train_[epochs - 1]).toBeLessThan(train_[0]);
    expect(valid[epochs - 1]).toBeLessThan(valid[0]);

    // loss chart: one point per epoch on both series
    expect(await page.locator('#loss-chart svg polyline.series-train').count()).toBe(1);
    const pts = await page.locator('#loss-chart svg polyline.series-valid').getAttribute('points');
    expect(pts?.trim().split(/\s+/)).toHaveLength(epochs);
    // PCA scatter from @collab-ts/eval, and ten recommendations
    expect(await page.locator('#pca-chart svg circle').count()).toBeGreaterThan(10);
    expect(await page.locator('#recommendations tbody tr').count()).toBe(10);

    mkdirSync(reports, { recursive: true });
    await page.screenshot({ path: join(reports, 'demo.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  }, 180_000);

  it('trains on a ratings file chosen by the visitor, parsed in the page', async () => {
    const page = await browser.newPage();
    const problems = watch(page);
    await page.goto(`${server.url}/demo`);
    await page.locator('#train').waitFor({ state: 'visible' });
    // a u.data-style file (user \t item \t rating \t timestamp): two taste groups over two item groups
    const lines: string[] = [];
    for (let u = 1; u <= 60; u++) {
      for (let i = 1; i <= 40; i++) {
        if ((u * 7 + i * 3) % 4 === 0) continue;
        const likes = u % 2 === i % 2;
        lines.push(`${u}\t${i}\t${likes ? 5 : 1 + ((u + i) % 2)}\t${880000000 + u * 100 + i}`);
      }
    }
    await page.locator('#ratings-file').setInputFiles({ name: 'u.data', mimeType: 'text/plain', buffer: Buffer.from(lines.join('\n') + '\n') });
    await expect.poll(() => page.locator('#demo-status').textContent()).toContain(`Read ${lines.length.toLocaleString('en-US')} ratings (60 users, 40 items)`);
    await page.locator('#train').click();
    await page.waitForFunction(() => ['done', 'error'].includes(document.querySelector('.collab-demo')?.getAttribute('data-status') ?? ''), undefined, { timeout: 120_000 });
    expect(await page.locator('.collab-demo').getAttribute('data-status')).toBe('done');
    const trainLoss = (await page.locator('#loss-table tbody tr').evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-train'))))) as number[];
    expect(trainLoss[trainLoss.length - 1]).toBeLessThan(trainLoss[0]);
    expect(problems).toEqual([]);
    await page.close();
  }, 180_000);

  it.skipIf(!ml100k.present)('trains on MovieLens 100k u.data + u.item dropped in the page (titles from u.item)', async () => {
    const page = await browser.newPage();
    const problems = watch(page);
    await page.goto(`${server.url}/demo`);
    await page.locator('#train').waitFor({ state: 'visible' });
    await page.locator('#ratings-file').setInputFiles([
      { name: 'u.data', mimeType: 'text/plain', buffer: readFileSync(join(ml100k.dir, 'u.data')) },
      { name: 'u.item', mimeType: 'text/plain', buffer: readFileSync(join(ml100k.dir, 'u.item')) },
    ]);
    await expect.poll(() => page.locator('#demo-status').textContent()).toContain('Read 100,000 ratings (943 users, 1682 items)');
    await page.locator('#epochs').fill('3');
    await page.locator('#train').click();
    await page.waitForFunction(() => ['done', 'error'].includes(document.querySelector('.collab-demo')?.getAttribute('data-status') ?? ''), undefined, { timeout: 120_000 });
    expect(await page.locator('#demo-error').allTextContents()).toEqual([]);
    const valid = (await page.locator('#loss-table tbody tr').evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-valid'))))) as number[];
    expect(valid).toHaveLength(3);
    expect(valid[2]).toBeLessThan(valid[0]);
    expect(valid[2]).toBeLessThan(1.0); // 20 factors, 3 epochs: well below the ~1.27 MSE of predicting the mean
    const titles = await page.locator('#recommendations tbody tr td:nth-child(2)').allTextContents();
    expect(titles).toHaveLength(10);
    expect(titles.every((t) => /\(\d{4}\)/.test(t))).toBe(true); // MovieLens titles carry the year
    expect(problems).toEqual([]);
    await page.close();
  }, 180_000);
});
