/**
 * The web console's build: Preact through Vite's own JSX transform (Oxc), every asset bundled
 * under /console/ so that the page loads nothing from another origin.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/console/',
  // No public folder and no env files: the console is its sources only.
  publicDir: false,
  envDir: false,
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // No inline data: URLs for assets, so that the CSP needs no `data:` beyond images.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
});
