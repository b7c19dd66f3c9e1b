import { defineConfig } from 'vite';

/**
 * The handheld PWA. JSX is not used (the workspace tsconfig has no JSX setting): views call Preact's
 * `h` directly, so the TypeScript the type-checker sees is exactly what Vite bundles.
 * The station URL defaults to the page's own origin (the station may serve the built app);
 * `?station=` or the login screen can point elsewhere.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: { host: '127.0.0.1' },
});
