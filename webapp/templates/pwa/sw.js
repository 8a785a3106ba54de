/* Stegvis service worker, version {{ version }}.
   Keeps: the static files (their URLs change when they change) and the offline page, which is the
   same for everyone. Never keeps a page with a person's information: every other page comes from
   the network, and without a connection the offline page is shown instead.
   Sends: the entries waiting in the phone's outbox, when Background Sync says there is a
   connection (see static/js/outbox.js; pages send them too, for phones without Background Sync). */
"use strict";
importScripts({{ outbox_script | tojson }});

var STATIC = "stegvis-static-{{ version }}";
var PAGES = "stegvis-pages";
var CORE = {{ core | tojson }};
var NETWORK_WAIT_MS = 10000;

self.addEventListener("install", function (event) {
  // The page has just loaded these files: they come from the browser's cache, not the network.
  event.waitUntil(caches.open(STATIC).then(function (cache) { return cache.addAll(CORE); }).then(function () {
    return self.skipWaiting();
  }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("stegvis-static-") === 0 && name !== STATIC;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function fromNetwork(request) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { reject(new Error("timeout")); }, NETWORK_WAIT_MS);
    fetch(request).then(function (response) { clearTimeout(timer); resolve(response); }, function (error) {
      clearTimeout(timer);
      reject(error);
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(caches.match(request).then(function (hit) {
      return hit || fetch(request).then(function (response) {
        if (response.ok && url.searchParams.has("v")) {
          var copy = response.clone();
          caches.open(STATIC).then(function (cache) { cache.put(request, copy); });
        }
        return response;
      });
    }));
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(fromNetwork(request).catch(function () {
      return caches.open(PAGES).then(function (cache) { return cache.match("/offline"); }).then(function (page) {
        return page || Response.error();
      });
    }));
  }
});

// Tell open pages what was sent, so that they can show it.
self.addEventListener("sync", function (event) {
  if (event.tag !== "outbox") { return; }
  event.waitUntil(self.StegvisOutbox.flush().then(function (result) {
    if (!result.sent) { return; }
    return self.clients.matchAll({ type: "window" }).then(function (pages) {
      pages.forEach(function (page) { page.postMessage({ outbox: result }); });
    });
  }));
});
