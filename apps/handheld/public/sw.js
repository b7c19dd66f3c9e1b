// tollpad handheld service worker (hand-written): caches the app shell so the PWA opens after a reload
// without network. Station API calls are never cached: they always go to the network.
const CACHE = 'tollpad-shell-v2';
const SCOPE = new URL(self.registration.scope);
const SHELL = [
  './',
  './index.html',
  './manifest.webmanifest',
  './icon.svg',
  './icon-192.png',
  './icon-512.png',
];

function isShell(url) {
  if (url.origin !== SCOPE.origin || !url.pathname.startsWith(SCOPE.pathname)) return false;
  const rest = url.pathname.slice(SCOPE.pathname.length);
  return (
    rest === '' ||
    rest === 'index.html' ||
    rest.startsWith('assets/') ||
    SHELL.includes(`./${rest}`) ||
    rest === 'sw.js'
  );
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll(SHELL);
      // The hashed bundles are named in index.html: cache what it references.
      const html = await (await fetch('./index.html', { cache: 'no-store' })).text();
      const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)]
        .map((m) => m[1])
        .filter((h) => h.startsWith('./assets/'));
      await cache.addAll(refs);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const k of await caches.keys()) if (k !== CACHE) await caches.delete(k);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (!isShell(url)) return;
  if (req.mode === 'navigate' || url.pathname.endsWith('/') || url.pathname.endsWith('index.html')) {
    // Network first for the page (new versions arrive), the cached shell when offline.
    event.respondWith(
      (async () => {
        try {
          const res = await fetch(req);
          if (res.ok) (await caches.open(CACHE)).put('./index.html', res.clone());
          return res;
        } catch {
          return (await caches.match('./index.html')) || (await caches.match('./')) || Response.error();
        }
      })(),
    );
    return;
  }
  // Hashed assets never change: cache first.
  event.respondWith(
    (async () => {
      const hit = await caches.match(req);
      if (hit) return hit;
      const res = await fetch(req);
      if (res.ok) (await caches.open(CACHE)).put(req, res.clone());
      return res;
    })(),
  );
});
