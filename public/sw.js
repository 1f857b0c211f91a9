// ViNano's service worker. The server serves it as /sw.js with two lines in front (see
// crates/server/src/http/service_worker.rs):
//   const VERSION = "…";            a new value for every build
//   const SHELL = ["/", "/….js", …]; the page and every file index.html pulls
//
// - The shell of this build is kept in its own cache, so the app starts without the network; an old
//   build's cache goes when the new worker takes over.
// - A new build installs beside the running one and waits: the page offers "A new version is ready —
//   Reload", which tells this worker to take over (the app and its files always come from one build).
// - The API is never touched: no answer and no image of anyone's is ever stored here.
// - A photo shared to the installed app (Web Share Target, POST /share) is kept for the editor to attach.
/* global VERSION, SHELL */

const CACHE = `vinano-shell-${VERSION}`;
const SHARED = 'vinano-shared';
/** Most photos one share passes on (the editor attaches up to this many at once). */
const SHARED_MAX = 10;

self.addEventListener('install', (event) => {
  // A file named by its content comes from the HTTP cache when it is there (the page just downloaded it);
  // any other (the page, the manifest) straight from the server, past that cache: a revalidation could be
  // answered "not modified" for an index.html rebuilt within the same second as the cached one
  // (Last-Modified counts seconds).
  const hashed = /-[0-9a-f]{12,16}(_bg)?\.[a-z]+$/;
  const request = (url) => new Request(url, { cache: hashed.test(url) ? 'default' : 'reload' });
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL.map(request))));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith('vinano-shell-') && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'vinano:take-over') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === 'POST' && url.pathname === '/share') {
    event.respondWith(receiveShare(request));
    return;
  }
  // Only this build's files: never the API (answers, photos, downloads), never the worker script itself.
  if (request.method !== 'GET' || url.pathname.startsWith('/api/') || url.pathname === '/sw.js') return;
  // The widget's page on a partner's site: always the network's, with the framing policy naming the partner.
  if (url.pathname === '/embed' || url.pathname.startsWith('/embed/')) return;
  if (request.mode === 'navigate') {
    // A page of the app; a file opened as a page (robots.txt, say) comes from the network as it is.
    if (!/\.[^/]*$/.test(url.pathname)) event.respondWith(page(request));
  } else if (url.pathname !== '/' && !url.pathname.endsWith('.html')) {
    event.respondWith(file(request));
  }
});

/** A page of the app (any path: the app routes it): this build's shell, the network only without one. */
async function page(request) {
  const cache = await caches.open(CACHE);
  return (await cache.match('/')) ?? fetch(request);
}

/** A file: from this build's cache; fetched otherwise, and kept when it belongs to the build (the
 * image-prep worker, fetched on first use, and anything else the app loads later). */
async function file(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.status === 200 && response.type === 'basic' && !request.headers.has('range')) {
    await cache.put(request, response.clone());
  }
  return response;
}

/** Photos shared from another app: kept (a handful, images only) for the editor, which opens with them. */
async function receiveShare(request) {
  try {
    const form = await request.formData();
    const photos = form
      .getAll('photos')
      .filter((f) => typeof f === 'object' && f.size > 0)
      .slice(0, SHARED_MAX);
    await caches.delete(SHARED);
    const cache = await caches.open(SHARED);
    await Promise.all(
      photos.map((photo, i) =>
        cache.put(
          `/shared/${i}`,
          new Response(photo, {
            headers: { 'content-type': photo.type || 'application/octet-stream', 'x-name': encodeURIComponent(photo.name || `photo-${i + 1}`) },
          }),
        ),
      ),
    );
    return Response.redirect(photos.length ? '/image?shared=1' : '/image?shared=none', 303);
  } catch (e) {
    return Response.redirect('/image?shared=lost', 303);
  }
}
