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

  it('loads every page without errors (direct loads included), and every internal link answers 200', async () => {
    const paths = pagePaths(dist);
    expect(paths).toContain('/');
    expect(paths).toContain('/demo');
    expect(paths).toContain('/benchmarks');
    expect(paths.filter((p) => p.startsWith('/api/')).length).toBeGreaterThan(50);
    expect(paths.filter((p) => p.startsWith('/guide/')).length).toBeGreaterThanOrEqual(10);
    // each package's main entry has its own API page (TypeDoc names it "main", not "index", so its route
    // cannot collide with the package page)
    for (const pkg of ['core', 'data', 'models', 'train']) expect(paths).toContain(`/api/@collab-ts/${pkg}/main/`);
    const failures: string[] = [];
    /** Internal links seen in the pages (hydrated and as served), each with a page that links to it. */
    const links = new Map<string, string>();
    let occurrences = 0;
    const context = await browser.newContext();
    const queue = [...paths];
    // a few tabs at once: ~340 pages, most of them API reference
    const worker = async () => {
      const page = await context.newPage();
      const problems = watch(page);
      for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
        problems.length = 0;
        const res = await page.goto(server.url + path, { waitUntil: 'load' });
        if (!res || res.status() !== 200) problems.push(`status ${res?.status()}`);
        // Vue sets __vue_app__ once hydration is done; a page whose hydration throws never gets it
        const hydrated = await page
          .waitForFunction(() => (document.querySelector('#app') as { __vue_app__?: unknown } | null)?.__vue_app__ !== undefined, undefined, { timeout: 15_000 })
          .then(() => true)
          .catch(() => false);
        if (!hydrated) problems.push('never hydrated');
        await page.waitForLoadState('networkidle');
        for (const href of await page.$$eval('a[href]', (as) => as.map((a) => (a as HTMLAnchorElement).href))) {
          const u = new URL(href);
          if (u.origin !== server.url) continue;
          occurrences++;
          const key = u.pathname + u.search;
          if (!links.has(key)) links.set(key, path);
        }
        if (problems.length) failures.push(`${path}: ${problems.join('; ')}`);
      }
      await page.close();
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    await context.close();

    // the links of the pages as served, before any script runs (what a crawler without JavaScript follows)
    for (const path of paths) {
      const html = await (await fetch(server.url + path)).text();
      for (const m of html.matchAll(/<a\s[^>]*?href="([^"]+)"/g)) {
        const u = new URL(m[1].replace(/&amp;/g, '&'), server.url + path);
        if (u.origin !== server.url) continue;
        occurrences++;
        const key = u.pathname + u.search;
        if (!links.has(key)) links.set(key, path);
      }
    }

    // every internal link of every page answers 200 from the static server
    const broken: string[] = [];
    const all = [...links.keys()];
    for (let i = 0; i < all.length; i += 16) {
      await Promise.all(
        all.slice(i, i + 16).map(async (link) => {
          const r = await fetch(server.url + link, { method: 'HEAD' });
          if (r.status !== 200) broken.push(`${link} (HTTP ${r.status}, linked from ${links.get(link)})`);
        }),
      );
    }
    console.log(`link crawl: ${paths.length} pages, ${all.length} distinct internal links (${occurrences} in all), ${broken.length} broken`);
    expect(all.length).toBeGreaterThan(paths.length / 2);
    expect({ failures, broken }).toEqual({ failures: [], broken: [] });
  }, 420_000);

  it('fits the guide overview table in the page: no clipped columns, no cell taller than three lines', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = watch(page);
    await page.goto(`${server.url}/guide/`);
    const table = page.locator('.chapter8-table table');
    await table.waitFor();
    const { scroll, client, rowHeights, lineHeight, sparks } = await table.evaluate((t) => ({
      scroll: t.scrollWidth,
      client: t.clientWidth,
      rowHeights: Array.from(t.querySelectorAll('tbody tr')).map((tr) => tr.getBoundingClientRect().height),
      lineHeight: parseFloat(getComputedStyle(t.querySelector('tbody td')!).lineHeight),
      sparks: t.querySelectorAll('tbody td.spark svg polyline').length,
    }));
    expect(scroll).toBeLessThanOrEqual(client); // nothing hidden behind a horizontal scroll
    expect(rowHeights.length).toBeGreaterThanOrEqual(6);
    for (const h of rowHeights) expect(h).toBeLessThanOrEqual(3 * lineHeight + 16);
    expect(sparks).toBe(rowHeights.length); // the per-epoch curve of every run
    expect(problems).toEqual([]);
    await page.close();
  });

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

    // the shared SVG charts keep every text apart and inside the chart, measured with the browser's own fonts
    for (const chart of ['#loss-chart svg', '#pca-chart svg']) {
      const bad = await page.locator(chart).evaluate((svg) => {
        const outer = svg.getBoundingClientRect();
        const scale = outer.width / (svg as SVGSVGElement).viewBox.baseVal.width;
        const boxes = Array.from(svg.querySelectorAll('text')).map((t) => ({ text: t.textContent ?? '', r: t.getBoundingClientRect() }));
        const out: string[] = [];
        const slack = 0.5 * scale;
        for (const [i, a] of boxes.entries()) {
          if (a.r.left < outer.left - slack || a.r.top < outer.top - slack || a.r.right > outer.right + slack || a.r.bottom > outer.bottom + slack) out.push(`outside: ${a.text}`);
          for (const b of boxes.slice(i + 1)) {
            if (a.r.left < b.r.right - slack && b.r.left < a.r.right - slack && a.r.top < b.r.bottom - slack && b.r.top < a.r.bottom - slack) out.push(`overlap: ${a.text} / ${b.text}`);
          }
        }
        return out;
      });
      expect(bad, chart).toEqual([]);
    }
    expect(await page.locator('#pca-chart svg text').count()).toBeGreaterThan(10); // most of the 40 titles find room

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
