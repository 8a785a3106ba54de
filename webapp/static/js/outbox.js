/* Stegvis outbox: log entries written without a connection wait on the phone (IndexedDB) until
   they can be sent. Used by pages (app.js) and by the service worker (Background Sync).

   Each entry carries its client id, so the server stores it exactly once however often it is
   sent, and its owner: a key for the person who wrote it. Only that person's entries are sent or
   shown; another person signing in on the same phone never sends or sees them. */
(function (scope) {
  "use strict";

  var DB_NAME = "stegvis";
  var URL = "/log/outbox";
  var flushing = null;

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = scope.indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore("outbox", { keyPath: "client_id" });
        request.result.createObjectStore("meta");
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  // One transaction; resolves with the last request's result once the transaction is done.
  function run(storeName, mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(storeName, mode);
        var request = work(tx.objectStore(storeName));
        tx.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function all() { return run("outbox", "readonly", function (store) { return store.getAll(); }); }
  function put(entry) { return run("outbox", "readwrite", function (store) { return store.put(entry); }); }
  function remove(id) { return run("outbox", "readwrite", function (store) { return store.delete(id); }); }
  function user() { return run("meta", "readonly", function (store) { return store.get("user"); }); }

  function setUser(key) {
    return run("meta", "readwrite", function (store) { return key ? store.put(key, "user") : store.delete("user"); });
  }

  // The signed-in person's entries, oldest first.
  function mine() {
    return Promise.all([user(), all()]).then(function (found) {
      return found[1].filter(function (entry) { return found[0] && entry.owner === found[0]; })
        .sort(function (a, b) { return a.created_at < b.created_at ? -1 : 1; });
    });
  }

  function sendEach(entries, csrf) {
    var sent = 0;
    var refused = [];  // the server's reasons
    var chain = entries.reduce(function (previous, entry) {
      return previous.then(function () {
        return fetch(URL, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf },
          body: JSON.stringify({ client_id: entry.client_id, owner: entry.owner, fields: entry.fields })
        }).then(function (response) {
          if (response.ok) { sent += 1; return remove(entry.client_id); }
          if (response.status === 422) {
            // The server cannot store it as it is: keep it, with the reason, for the person to see.
            return response.json().then(function (body) {
              entry.error = body.message || "?";
              refused.push(entry.error);
              return put(entry);
            });
          }
          throw new Error("stop");  // signed out, or someone else: keep everything for later
        });
      });
    }, Promise.resolve());
    return chain.then(function () { return { sent: sent, refused: refused }; },
                      function () { return { sent: sent, refused: refused, stopped: true }; });
  }

  // Send the signed-in person's waiting entries. Resolves with {sent, refused, stopped, signedOut}.
  function flush() {
    if (flushing) { return flushing; }
    flushing = Promise.all([user(), mine()]).then(function (found) {
      var waiting = found[1].filter(function (entry) { return !entry.error; });
      if (!found[0] || !waiting.length) { return { sent: 0 }; }
      return fetch(URL, { credentials: "same-origin", cache: "no-store", headers: { "Accept": "application/json" } })
        .then(function (response) {
          var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
          if (!response.ok || response.redirected || !json) { return { sent: 0, signedOut: true }; }
          return response.json().then(function (who) {
            if (who.user !== found[0]) { return { sent: 0, signedOut: true }; }
            return sendEach(waiting, who.csrf);
          });
        });
    }).catch(function () {
      return { sent: 0, stopped: true };
    }).then(function (result) {
      flushing = null;
      return result;
    });
    return flushing;
  }

  scope.StegvisOutbox = { all: all, put: put, remove: remove, mine: mine, user: user, setUser: setUser, flush: flush };
})(self);
