import DefaultTheme from 'vitepress/theme';
import type { Theme } from 'vitepress';
import CollabDemo from './components/CollabDemo.vue';
import Chapter8Table from './components/Chapter8Table.vue';
import RankingBench from './components/RankingBench.vue';
import './custom.css';

export default {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component('CollabDemo', CollabDemo);
    app.component('Chapter8Table', Chapter8Table);
    app.component('RankingBench', RankingBench);
  },
} satisfies Theme;
