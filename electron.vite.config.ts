import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Three bundles from one config:
// - main: `index` is the Electron shell (the only bundle that may require 'electron');
//         `cli` is the plain-Node entry (serve, import, export) that tests and serve mode load.
// - preload: the sandboxed bridge; it must be one self-contained CommonJS file.
// - renderer: the Svelte UI, served by app:// in the desktop app and by the server in serve mode.
export default defineConfig({
  main: {
    build: {
      // Node 20 (serve mode, CLI, tests) must load the same bundle that Electron's Node 24 runs.
      target: 'node20',
      rolldownOptions: {
        input: {
          index: resolve(__dirname, 'src-main/shells/electron/main.ts'),
          cli: resolve(__dirname, 'src-main/shells/cli/main.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rolldownOptions: {
        input: { index: resolve(__dirname, 'src-main/shells/electron/preload.ts') },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    publicDir: false,
    plugins: [svelte()],
    build: {
      minify: true,
      rolldownOptions: {
        input: resolve(__dirname, 'src-renderer/index.html'),
      },
    },
  },
});
