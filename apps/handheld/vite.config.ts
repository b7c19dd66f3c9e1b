import { defineConfig, type Plugin } from 'vite';

/** Lists every emitted file so the service worker can cache the whole shell, lazy chunks included. */
function assetManifest(): Plugin {
  return {
    name: 'tollpad-asset-manifest',
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle).filter((f) => f.startsWith('assets/'));
      this.emitFile({ type: 'asset', fileName: 'asset-manifest.json', source: JSON.stringify(files) });
    },
  };
}

/**
 * The handheld PWA. JSX is not used (the workspace tsconfig has no JSX setting): views call Preact's
 * `h` directly, so the TypeScript the type-checker sees is exactly what Vite bundles.
 * The station is the page's own origin, or VITE_STATION_ORIGIN fixed at build time (session.ts); never a
 * URL parameter, so a link cannot send the collector's token to another server.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [assetManifest()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    rollupOptions: {
      // The shared packages are pure at module level except for schema constants (typebox) the handheld
      // never uses; declaring them side-effect free lets the bundler drop them (initial JS budget).
      treeshake: {
        moduleSideEffects: (id: string) => id.endsWith('.css') || id.includes('/apps/handheld/'),
      },
    },
  },
  server: { host: '127.0.0.1' },
});
