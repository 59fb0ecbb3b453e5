// Service worker of the citizen portal: the app shell works offline, personal data never
// touches a cache. scripts/build-web.sh replaces __BUILD_HASH__ and __PRECACHE__ in the copy it
// writes to the output folder; this file itself is a template.

const VERSION = "__BUILD_HASH__";
const CACHE_PREFIX = "portal-shell-";
const CACHE = CACHE_PREFIX + VERSION;
// index.html, boot.js, the content-hashed wasm-bindgen glue and wasm module, CSS, icons, manifest.
const PRECACHE = __PRECACHE__;
// The offline answer to every navigation. It comes from the same build as the cached pkg
// files it names, so it always starts.
const SHELL_PAGE = "/index.html";
// The back office's pages (/sprava) run a bigger build of the client, which the server sends
// there instead of index.html. Only its page is precached: citizens never fetch its pkg files,
// which are cached when staff first load them.
const OFFICE_PAGE = "/office.html";

function shellPageFor(url) {
  return url.pathname === "/sprava" || url.pathname.startsWith("/sprava/")
    ? OFFICE_PAGE
    : SHELL_PAGE;
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // Names under /pkg/ carry a content hash, so the browser's HTTP cache (just filled by the
      // page) is right for them and the wasm is not downloaded twice. Everything else bypasses
      // it: the shell must be what the server has now. addAll fails as a whole if any file
      // fails, and then the previous worker stays in charge.
      await cache.addAll(
        PRECACHE.map(
          (url) => new Request(url, { cache: url.startsWith("/pkg/") ? "default" : "reload" }),
        ),
      );
      // A new build takes over at once; pages already open keep the files they loaded.
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE)
          .map((name) => caches.delete(name)),
      );
      if (self.registration.navigationPreload) {
        // No navigation preload: with it, Chromium also preloads navigations this worker
        // leaves to the network (login starts and callbacks under /api/), so each was sent
        // twice and the second use of a one-time login state failed. Disabling also switches
        // it off for browsers where an older worker had enabled it.
        await self.registration.navigationPreload.disable();
      }
      await self.clients.claim();
    })(),
  );
});

function isApi(url) {
  return url.pathname === "/api" || url.pathname.startsWith("/api/");
}

function isStatic(url) {
  return (
    url.pathname.startsWith("/pkg/") ||
    url.pathname.startsWith("/assets/") ||
    PRECACHE.includes(url.pathname)
  );
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  // Other origins, and the API: straight to the network, never cached. API answers are
  // personal (and the server marks them no-store).
  if (url.origin !== self.location.origin || isApi(url)) return;
  if (request.mode === "navigate") {
    event.respondWith(networkFirst(event));
  } else if (isStatic(url)) {
    event.respondWith(cacheFirst(request));
  }
  // Anything else (e.g. login redirects) goes to the network as if there were no worker.
});

// Navigations: the network's answer when there is one (it is not stored: it may be a
// personal page or a redirect), else the cached shell, which routes on the client.
async function networkFirst(event) {
  try {
    return await fetch(event.request);
  } catch (error) {
    const page = shellPageFor(new URL(event.request.url));
    const cached = await caches.match(page, { cacheName: CACHE });
    if (cached) return cached;
    throw error;
  }
}

// Static files: the cache's copy, else the network's, kept for next time. Names under /pkg/
// carry a content hash, and the whole cache is replaced with every build.
async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  // Only complete same-origin successes: no opaque, partial (206) or error answers.
  if (response.status === 200 && response.type === "basic") {
    await cache.put(request, response.clone());
  }
  return response;
}
