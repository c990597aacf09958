{% load static %}/* The portal's service worker (docs/offline-and-push.md, docs/decisions/0029). Served at /sw.js
   by accounts/pwa/views.py, so its scope is the whole site. Workbox is vendored (static/vendor/). */
importScripts("{% static 'vendor/workbox/workbox-core.prod.js' %}",
              "{% static 'vendor/workbox/workbox-routing.prod.js' %}",
              "{% static 'vendor/workbox/workbox-strategies.prod.js' %}",
              "{% static 'vendor/workbox/workbox-background-sync.prod.js' %}");

const CONFIG = {{ config|safe }};
const PAGES = "cpd-pages";
const ASSETS = "cpd-assets";
const WARM_EVERY_MS = 10 * 60 * 1000;
let warmedAt = 0;

const isStaff = (path) => CONFIG.staffPrefixes.some((prefix) => path.startsWith(prefix));
const isReadable = (path) =>
  !isStaff(path) && CONFIG.readablePrefixes.some((prefix) => path.startsWith(prefix));
const isQueued = (path) => CONFIG.queuedPostPatterns.some((pattern) => new RegExp(pattern).test(path));

async function tellPages(message) {
  for (const client of await self.clients.matchAll({ type: "window" })) client.postMessage(message);
}

// Sends what was kept offline, oldest first. A request the network drops goes back to the head
// of the queue and is sent again later: the server's idempotency keys (one answer per drill
// delivery, one attendance per session and learner, one read per lesson) make a repeat count once.
async function replay({ queue }) {
  let entry;
  let sent = 0;
  while ((entry = await queue.shiftRequest())) {
    try {
      await fetch(entry.request.clone());
    } catch (error) {
      await queue.unshiftRequest(entry);
      await tellPages({ type: "queue", waiting: await queue.size() });
      throw error;
    }
    sent += 1;
  }
  if (sent) await tellPages({ type: "replayed", sent });
}

const queue = new workbox.backgroundSync.Queue("cpd-offline-actions", {
  maxRetentionTime: 7 * 24 * 60, // minutes; the server decides what an old action still counts for
  onSync: () => replayOnce(),
});
// One replay at a time in this worker (the sync event, the page's "online" and a new page can
// all ask at once); what fails stays queued for the next time.
let replaying = null;
function replayOnce() {
  replaying = replaying || replay({ queue }).catch(() => {}).finally(() => { replaying = null; });
  return replaying;
}

// A cached page says when it was saved: offline.js shows "Offline - last updated <time>".
const markOfflineCopy = {
  cachedResponseWillBeUsed: async ({ cachedResponse }) => {
    if (!cachedResponse) return cachedResponse;
    const type = cachedResponse.headers.get("Content-Type") || "";
    if (!type.startsWith("text/html")) return cachedResponse;
    const saved = new Date(cachedResponse.headers.get("Date") || Date.now()).toISOString();
    const html = (await cachedResponse.text()).replace("<body", `<body data-offline-copy="${saved}"`);
    return new Response(html, { status: 200, headers: cachedResponse.headers });
  },
};
// Only complete pages the server lets be stored; never a staff page (also refused above).
const storableOnly = {
  cacheWillUpdate: async ({ request, response }) => {
    const control = response.headers.get("Cache-Control") || "";
    if (response.status !== 200 || control.includes("no-store")) return null;
    if (isStaff(new URL(request.url).pathname)) return null;
    return response;
  },
};
const pages = new workbox.strategies.NetworkFirst({
  cacheName: PAGES,
  networkTimeoutSeconds: 6,
  matchOptions: { ignoreVary: true },
  plugins: [storableOnly, markOfflineCopy],
});

workbox.routing.registerRoute(
  ({ url, request }) => url.origin === self.location.origin && request.method === "GET" &&
    url.pathname.startsWith("/static/"),
  new workbox.strategies.StaleWhileRevalidate({ cacheName: ASSETS }));

workbox.routing.registerRoute(
  ({ url, request }) => url.origin === self.location.origin && request.method === "GET" &&
    isReadable(url.pathname) && !url.pathname.endsWith("/video/"),
  async (options) => {
    try {
      return await pages.handle(options);
    } catch (error) {
      if (options.request.mode !== "navigate") throw error;
      return (await caches.match(CONFIG.unsavedUrl)) || Response.error();
    }
  });

// Any other page (the transcript, a staff page): the network only, and "You are offline" when
// there is none, rather than the browser's own error.
workbox.routing.registerRoute(
  ({ url, request }) => url.origin === self.location.origin && request.mode === "navigate",
  async ({ request }) => {
    try {
      return await fetch(request);
    } catch (error) {
      return (await caches.match(CONFIG.unsavedUrl)) || Response.error();
    }
  });

workbox.routing.registerRoute(
  ({ url }) => url.origin === self.location.origin && isQueued(url.pathname),
  async ({ request }) => {
    const kept = request.clone();
    try {
      return await fetch(request);
    } catch (error) {
      const headers = new Headers(kept.headers);
      headers.set("X-Recorded-At", new Date().toISOString());
      await queue.pushRequest({ request: new Request(kept.url, {
        method: "POST", headers, body: await kept.arrayBuffer(), credentials: "same-origin",
        redirect: "manual" }) });
      await tellPages({ type: "queue", waiting: await queue.size() });
      const kept202 = () => new Response("", { status: 202, headers: { "Content-Type": "text/plain" } });
      if (request.mode !== "navigate") return kept202();
      return (await caches.match(CONFIG.savedUrl)) || kept202();
    }
  },
  "POST");

// Keeps the learner's own pages (My learning, the lessons and files of started modules, drill
// questions, check-in) ready for reading offline. The X-Offline-Warm header tells the lesson view
// that nothing was read yet.
async function warm() {
  if (Date.now() - warmedAt < WARM_EVERY_MS) return;
  warmedAt = Date.now();
  const response = await fetch(CONFIG.offlinePagesUrl, { credentials: "same-origin" });
  if (!response.ok) return;
  const { urls } = await response.json();
  const cache = await caches.open(PAGES);
  const assets = new Set();
  for (const url of [CONFIG.savedUrl, CONFIG.unsavedUrl, ...urls]) {
    if (isStaff(new URL(url, self.location.origin).pathname)) continue;
    const page = await fetch(url, { credentials: "same-origin", headers: { "X-Offline-Warm": "1" } });
    if (!(await storableOnly.cacheWillUpdate({ request: new Request(url), response: page }))) continue;
    if ((page.headers.get("Content-Type") || "").startsWith("text/html")) {
      // The page's own scripts, styles and images, so it opens offline as it looks online.
      for (const match of (await page.clone().text()).matchAll(/(?:src|href)="(\/static\/[^"]+)"/g)) {
        assets.add(match[1]);
      }
    }
    await cache.put(url, page);
  }
  const assetCache = await caches.open(ASSETS);
  for (const asset of assets) {
    if (!(await assetCache.match(asset))) await assetCache.add(asset);
  }
  await tellPages({ type: "warmed" });
}

// Sign-out (with the server's Clear-Site-Data header as the second line of defence): the next
// person on a shared phone finds none of these pages, nor actions sent in the first one's name.
async function forget() {
  warmedAt = 0;
  await caches.delete(PAGES);
  while (await queue.shiftRequest());
}

self.addEventListener("message", (event) => {
  const { type } = event.data || {};
  if (type === "warm") event.waitUntil(warm().catch(() => { warmedAt = 0; }));
  if (type === "replay") event.waitUntil(replayOnce());
  if (type === "count") event.waitUntil(queue.size().then((waiting) => event.source.postMessage({ type: "queue", waiting })));
  if (type === "forget") event.waitUntil(forget());
});

// A push from the outbox (accounts/pwa/services.py): {title, url, tag}.
self.addEventListener("push", (event) => {
  const data = event.data ? event.data.json() : {};
  event.waitUntil(self.registration.showNotification(data.title || "CPD", {
    data: { url: data.url || "/" }, tag: data.tag, icon: CONFIG.icon, badge: CONFIG.icon }));
});
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(self.clients.openWindow(event.notification.data.url));
});

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
