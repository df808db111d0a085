// Builds the admin console (`vite build console`) into dist/console, which the server serves at /
// (src/http/console.ts).
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  publicDir: 'public',
  build: {
    outDir: '../dist/console',
    emptyOutDir: true,
    // Everything is bundled: nothing is fetched from a CDN at run time.
    assetsInlineLimit: 0,
    sourcemap: false,
    target: 'es2022',
  },
});
