/* The officer's service worker (served by offline.views.service_worker at /sw.js, scope "/").
   Workbox from our own static files (workbox-sw's modulePathCb), never from a CDN.
   Caches: "shell" (our CSS/JS, cache first), "pages" (GET pages, network first, 200 and not
   redirected only). POST requests are never cached: the queue (queue.js, IndexedDB) sends them. */
"use strict";
var CONFIG = {{ config|safe }};
importScripts(CONFIG.workbox);
workbox.setConfig({
  modulePathCb: function (name) { return CONFIG.modules[name]; }
});
importScripts(CONFIG.idb, CONFIG.queue);

var SHELL = "shell-v" + CONFIG.version;
var PAGES = "pages-v" + CONFIG.version;

function cacheable(response) {
  return response && response.status === 200 && !response.redirected && response.type === "basic";
}
var onlyGood = { cacheWillUpdate: async function (ctx) { return cacheable(ctx.response) ? ctx.response : null; } };

self.addEventListener("install", function (event) {
  event.waitUntil((async function () {
    var shell = await caches.open(SHELL);
    await Promise.all(CONFIG.assets.concat(Object.values(CONFIG.modules), [CONFIG.workbox]).map(function (url) {
      return shell.add(url).catch(function () {});
    }));
    var pages = await caches.open(PAGES);
    await Promise.all(CONFIG.pages.map(async function (url) {
      try {
        // redirect "manual": once logged out, a page answers with a redirect to the login page, which
        // is not followed, so the login page is not rendered here and does not set a second CSRF
        // cookie under the login form the person is about to send.
        var response = await fetch(url, { credentials: "same-origin", redirect: "manual" });
        if (cacheable(response)) { await pages.put(url, response); }
      } catch (e) { /* no signal: the page is cached when it is next visited */ }
    }));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", function (event) {
  event.waitUntil((async function () {
    var names = await caches.keys();
    await Promise.all(names.filter(function (n) { return n !== SHELL && n !== PAGES && /^(shell|pages)-v/.test(n); })
      .map(function (n) { return caches.delete(n); }));
    await self.clients.claim();
  })());
});

self.addEventListener("message", function (event) {
  if (event.data === "logout") { event.waitUntil(caches.delete(PAGES)); }
  if (event.data === "flush") { event.waitUntil(OfflineQueue.flush()); }
});

self.addEventListener("sync", function (event) {
  if (event.tag === "outbox") { event.waitUntil(OfflineQueue.flush()); }
});

function never(url) {
  return CONFIG.never.some(function (prefix) { return url.pathname.indexOf(prefix) === 0; }) ||
    /\.(xlsx|pdf|csv|zip)$/.test(url.pathname);
}

workbox.routing.registerRoute(
  function (ctx) { return ctx.url.origin === self.location.origin && ctx.url.pathname.indexOf(CONFIG.static) === 0; },
  new workbox.strategies.CacheFirst({ cacheName: SHELL, matchOptions: { ignoreVary: true }, plugins: [onlyGood] })
);

workbox.routing.registerRoute(
  function (ctx) {
    return ctx.request.mode === "navigate" && ctx.url.origin === self.location.origin && ctx.url.pathname === CONFIG.login;
  },
  async function (ctx) {
    await caches.delete(PAGES);  // someone is logging in: nobody's pages stay behind
    return fetch(ctx.request);
  }
);

workbox.routing.registerRoute(
  function (ctx) {
    return ctx.request.mode === "navigate" && ctx.url.origin === self.location.origin && !never(ctx.url);
  },
  new workbox.strategies.NetworkFirst({
    cacheName: PAGES,
    matchOptions: { ignoreVary: true },  // Django varies on Cookie and Accept-Language; one person per phone
    networkTimeoutSeconds: 6,
    plugins: [onlyGood, new workbox.expiration.ExpirationPlugin({ maxEntries: 60 })]
  })
);
