import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type DefaultTheme } from 'vitepress';

// The API sidebar is written by TypeDoc (typedoc-vitepress-theme) at build time; the site builds without it.
const apiSidebarFile = fileURLToPath(new URL('../api/typedoc-sidebar.json', import.meta.url));
const apiSidebar: DefaultTheme.SidebarItem[] = existsSync(apiSidebarFile)
  ? packageLevel(JSON.parse(readFileSync(apiSidebarFile, 'utf8')) as DefaultTheme.SidebarItem[])
  : [];

/**
 * Keeps the package and entry-point levels of TypeDoc's sidebar (their pages list every symbol). The full
 * tree (one link per symbol) would be rendered into each of the ~300 API pages.
 */
function packageLevel(items: DefaultTheme.SidebarItem[]): DefaultTheme.SidebarItem[] {
  return items
    .filter((it) => it.link?.endsWith('/'))
    .map((it) => {
      const sub = packageLevel(it.items ?? []);
      const text = it.text === 'main' ? 'main entry' : it.text === 'node' ? '/node (Node only)' : it.text;
      return { text, link: it.link, ...(sub.length ? { items: sub, collapsed: false } : {}) };
    });
}

const guide: DefaultTheme.SidebarItem[] = [
  {
    text: 'Introduction',
    items: [
      { text: 'Getting started', link: '/getting-started' },
      { text: 'CLI', link: '/cli' },
      { text: 'Live demo', link: '/demo' },
      { text: 'Benchmarks', link: '/benchmarks' },
    ],
  },
  {
    text: 'Guide: chapter 8 in TypeScript',
    items: [
      { text: 'Overview', link: '/guide/' },
      { text: 'Latent factors', link: '/guide/latent-factors' },
      { text: 'The dot product and yRange', link: '/guide/dot-product' },
      { text: 'Biases', link: '/guide/biases' },
      { text: 'Overfitting and weight decay', link: '/guide/weight-decay' },
      { text: 'Raw parameter tables', link: '/guide/raw-parameters' },
      { text: 'The collab_learner equivalent', link: '/guide/collab-learner' },
      { text: 'The neural model', link: '/guide/neural' },
      { text: 'Interpreting a model', link: '/guide/interpretation' },
      { text: 'Cold start', link: '/guide/cold-start' },
    ],
  },
  {
    text: 'Guide: beyond chapter 8',
    items: [
      { text: 'Ratings or rankings: which model to use', link: '/guide/ratings-or-rankings' },
      { text: 'svd at scale: per-rating SGD, threads', link: '/guide/svd-at-scale' },
      { text: 'Beyond one machine: Spark ALS', link: '/guide/beyond-one-machine' },
    ],
  },
  {
    text: 'Packages',
    items: [
      { text: 'Overview', link: '/packages/' },
      { text: '@collab-ts/core', link: '/packages/core' },
      { text: '@collab-ts/data', link: '/packages/data' },
      { text: '@collab-ts/models', link: '/packages/models' },
      { text: '@collab-ts/optim', link: '/packages/optim' },
      { text: '@collab-ts/train', link: '/packages/train' },
      { text: '@collab-ts/eval', link: '/packages/eval' },
    ],
  },
];

export default defineConfig({
  title: 'collab-ts',
  description: "Collaborative filtering for TypeScript: fastai's collab workflow, end to end and fast.",
  lang: 'en-US',
  cleanUrls: true,
  lastUpdated: false,
  // one page at a time: the local search index then lists pages in the same order on every build
  buildConcurrency: 1,
  // deterministic and offline: no external fonts, scripts or analytics
  head: [['link', { rel: 'icon', type: 'image/svg+xml', href: '/favicon.svg' }]],
  ignoreDeadLinks: [/^https?:\/\/localhost/],
  themeConfig: {
    nav: [
      { text: 'Guide', link: '/guide/' },
      { text: 'Packages', link: '/packages/' },
      { text: 'API', link: '/api/' },
      { text: 'Benchmarks', link: '/benchmarks' },
      { text: 'Demo', link: '/demo' },
    ],
    sidebar: {
      '/api/': [{ text: 'API reference', link: '/api/' }, ...apiSidebar],
      '/': guide,
    },
    search: { provider: 'local' },
    outline: [2, 3],
  },
  vite: {
    build: { chunkSizeWarningLimit: 4096 },
  },
});
