import DefaultTheme from 'vitepress/theme';
import type { Theme } from 'vitepress';
import CollabDemo from './components/CollabDemo.vue';
import './custom.css';

export default {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component('CollabDemo', CollabDemo);
  },
} satisfies Theme;
