/* Stegvis: small enhancements on top of pages that work without JavaScript.
   No inline scripts (CSP); htmx 2.x event names. */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  // Forms carry their own token; the header covers htmx requests from elements outside forms.
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.verb !== "get") {
      event.detail.headers["X-CSRFToken"] = csrfToken();
    }
  });

  // A form is not sent again while its answer is on its way: a second tap on a slow connection
  // would save twice (the server also answers a repeat with the first answer: webapp/once.py).
  // Plain forms wait for the next page (or Back: pageshow); htmx forms for their answer.
  document.addEventListener("submit", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-sending")) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  document.addEventListener("submit", function (event) {
    var form = event.target;
    // htmx sends its forms itself (and so prevents the browser's): htmx:beforeRequest marks those.
    if (!event.defaultPrevented && form.method === "post") { form.setAttribute("data-sending", ""); }
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (form && form.tagName === "FORM" && form.method === "post") { form.setAttribute("data-sending", ""); }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (form && form.removeAttribute) { form.removeAttribute("data-sending"); }
  });
  window.addEventListener("pageshow", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-sending]"), function (form) {
      form.removeAttribute("data-sending");
    });
  });

  // The language menu (a <details>): Escape closes it and puts focus back on its button, and it
  // closes when focus leaves it, so that it never covers what has focus (WCAG 2.4.11).
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var menu = event.target.closest && event.target.closest("details[open]");
    if (menu) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });
  document.addEventListener("focusout", function (event) {
    var menu = event.target.closest && event.target.closest("details.language-picker[open]");
    if (menu && event.relatedTarget && !menu.contains(event.relatedTarget)) { menu.open = false; }
  });

  // After a swap, move focus into the changed area so keyboard and screen reader users
  // continue where the change happened. The server marks the element with data-focus.
  function makeFocusable(element) {
    if (!element.matches("a, button, input, select, textarea, [tabindex]")) { element.setAttribute("tabindex", "-1"); }
  }

  function focusMarked(root) {
    // A mark inside the swapped content wins over a mark left on the target itself
    // (an innerHTML swap settles on the old element, which may still carry one).
    var target = root.querySelector("[data-focus]") || (root.matches("[data-focus]") ? root : null);
    if (!target) { return false; }
    target.removeAttribute("data-focus");
    makeFocusable(target);
    // Focus without the browser's own scroll (it centres a tall element and hides its top, e.g.
    // the heading of a conflict); then scroll only if the element is not wholly in view.
    target.focus({ preventScroll: true });
    var box = target.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) { target.scrollIntoView({ block: "start" }); }
    return true;
  }

  // htmx fires afterSettle on each swapped-in element (the target itself for innerHTML swaps).
  document.addEventListener("htmx:afterSettle", function (event) {
    var root = event.target;
    if (root && root.isConnected && root.id !== "status" && root.querySelector) {
      focusMarked(root);
    }
  });

  // A link in an error summary: focus the field, with its question and message in view above it
  // (the browser's own jump puts the field at the very top and hides both).
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest('.error-summary a[href^="#"]');
    var field = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field) { return; }
    var group = field.closest(".field, fieldset") || field;
    event.preventDefault();
    group.scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  });

  // A request that never reached the server: say so, and keep the form (a log entry: the outbox).
  document.addEventListener("htmx:sendError", function (event) {
    if (event.target && event.target.closest && event.target.closest("form[data-outbox]")) { return; }
    var status = document.getElementById("status");
    if (status) {
      var p = document.createElement("p");
      p.className = "notice notice--error";
      p.setAttribute("data-offline-notice", "");
      p.textContent = document.body.getAttribute("data-msg-offline") || "";
      status.replaceChildren(p);
    }
  });
  // The connection is back: "No connection" is no longer true.
  window.addEventListener("online", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-offline-notice]"), function (notice) { notice.remove(); });
  });

  // A page with errors starts at the error summary (GOV.UK). After a save that leads to a place on
  // the page (/messages#thread-general), focus goes there and the status region's outcome is said.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); return; }
    var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    var status = document.getElementById("status");
    if (!target || !status || !status.textContent.trim()) { return; }
    makeFocusable(target);
    target.focus({ preventScroll: true });
    var said = Array.prototype.slice.call(status.childNodes);
    status.replaceChildren();
    setTimeout(function () { status.replaceChildren.apply(status, said); }, 150);
  });
})();

/* Read-aloud: a button that reads the main text of a screen with the phone's own voice (Web
   Speech API). Only added when the phone has a voice for the page's language; a second button
   reads the Swedish words (SFI mode) with a Swedish voice. Nothing is sent anywhere. */
(function () {
  "use strict";

  var synth = window.speechSynthesis;
  if (!synth || typeof window.SpeechSynthesisUtterance !== "function") { return; }

  function voiceFor(tag) {
    var wanted = (tag || "").toLowerCase().split("-")[0];
    var voices = synth.getVoices() || [];
    return voices.filter(function (v) { return (v.lang || "").toLowerCase().split(/[-_]/)[0] === wanted; })[0] || null;
  }

  // The words to read: the region's marked parts, without buttons or hidden helper text; or,
  // for the Swedish button, every Swedish word the SFI mode shows in the region, in order.
  function textOf(region, swedish) {
    if (swedish) {
      return Array.prototype.map.call(region.querySelectorAll(".sv-echo"), function (el) {
        return el.textContent.trim();
      }).filter(Boolean).join(". ");
    }
    var parts = region.querySelectorAll("[data-read]");
    if (!parts.length) { parts = region.querySelectorAll("h1, h2, h3, legend, label, .field__hint, p"); }
    var lines = [];
    Array.prototype.forEach.call(parts, function (part) {
      var copy = part.cloneNode(true);
      Array.prototype.forEach.call(copy.querySelectorAll("button, .visually-hidden, [aria-hidden=true]"), function (el) { el.remove(); });
      Array.prototype.forEach.call(copy.querySelectorAll(".sv-echo"), function (el) { el.remove(); });
      lines.push(copy.textContent.replace(/\s+/g, " ").trim());
    });
    return lines.filter(Boolean).join(". ");
  }

  function speak(text, voice, button, label) {
    if (button.getAttribute("aria-pressed") === "true") {
      synth.cancel();
      return;
    }
    synth.cancel();
    var utterance = new window.SpeechSynthesisUtterance(text);
    utterance.voice = voice;
    utterance.lang = voice.lang;
    utterance.rate = 0.9;  // a little slower: many listeners are learning the language
    button.setAttribute("aria-pressed", "true");
    button.textContent = document.body.getAttribute("data-msg-stop") || label;
    utterance.onend = utterance.onerror = function () {
      button.setAttribute("aria-pressed", "false");
      button.textContent = label;
    };
    synth.speak(utterance);
  }

  function addButtons() {
    var body = document.body;
    var pageLang = document.documentElement.getAttribute("lang") || "sv";
    var pageVoice = voiceFor(pageLang);
    var swedishVoice = pageLang.indexOf("sv") === 0 ? null : voiceFor("sv");
    Array.prototype.forEach.call(document.querySelectorAll("[data-read-aloud]"), function (region) {
      if (region.querySelector(".read-aloud")) { return; }
      var bar = document.createElement("div");
      bar.className = "read-aloud";
      var buttons = [];
      if (pageVoice) { buttons.push([pageVoice, false, body.getAttribute("data-msg-read")]); }
      if (swedishVoice && region.querySelector(".sv-echo")) {
        buttons.push([swedishVoice, true, body.getAttribute("data-msg-read-swedish")]);
      }
      buttons.forEach(function (spec) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "button button--secondary read-aloud__button";
        button.setAttribute("aria-pressed", "false");
        button.textContent = spec[2];
        if (spec[1]) { button.lang = "sv"; }
        button.addEventListener("click", function () { speak(textOf(region, spec[1]), spec[0], button, spec[2]); });
        bar.appendChild(button);
      });
      if (buttons.length) { region.insertBefore(bar, region.firstChild); }
    });
  }

  // Voices often arrive a moment after the page; htmx swaps bring new regions.
  document.addEventListener("DOMContentLoaded", addButtons);
  if (synth.addEventListener) { synth.addEventListener("voiceschanged", addButtons); }
  document.addEventListener("htmx:afterSettle", addButtons);
})();

/* Phone first: the service worker, the outbox for log entries written without a connection, and
   drafts of long texts that survive a lost connection or a sign-in that ran out. */
(function () {
  "use strict";

  var box = window.StegvisOutbox;
  var REQUIRED = ["occurred_on", "kind", "minutes", "feeling"];

  function say(text, isError) {
    var status = document.getElementById("status");
    if (!status || !text) { return; }
    var p = document.createElement("p");
    p.className = isError ? "notice notice--error" : "notice";
    p.textContent = text;
    status.replaceChildren(p);
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 15) | 64;
    bytes[8] = (bytes[8] & 63) | 128;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  // The phone's own day, n days ago (0: today), as YYYY-MM-DD.
  function dayBefore(n) {
    var day = new Date();
    day.setDate(day.getDate() - n);
    return new Date(day.getTime() - day.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
  }

  function today() { return dayBefore(0); }

  // The service worker, and the offline page in this page's language, kept up to date.
  function keepOfflinePage() {
    var version = document.querySelector('meta[name="stegvis-assets"]');
    var lang = document.documentElement.lang;
    if (!version || !window.caches) { return; }
    var mark = lang + ":" + version.content;
    caches.open("stegvis-pages").then(function (cache) {
      return cache.match("/offline").then(function (kept) {
        if (kept && kept.headers.get("Stegvis-Offline") === mark) { return; }
        return fetch("/offline?lang=" + encodeURIComponent(lang), { credentials: "omit" }).then(function (response) {
          if (response.ok) { return cache.put("/offline", response); }
        });
      });
    }).catch(function () {});
  }

  if ("serviceWorker" in navigator && !document.body.hasAttribute("data-offline-page")) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js").then(keepOfflinePage).catch(function () {});
    });
  }

  if (!box || !window.indexedDB) { return; }

  var panels = document.querySelectorAll("[data-outbox-panel]");
  // The texts come from the page (the outbox panel, or the sign-out dialog on pages without one).
  function msg(name, n) {
    var holder = document.querySelector("[data-msg-" + name + "]");
    var text = holder ? holder.getAttribute("data-msg-" + name) : "";
    return text.replace("{n}", String(n));
  }

  // The entry just removed, until Undo puts it back or another is removed.
  var removed = null;

  function undoNotice(panel) {
    var notice = panel.querySelector("[data-outbox-removed]");
    if (!notice) {
      notice = document.createElement("p");
      notice.setAttribute("data-outbox-removed", "");
      panel.querySelector("[data-outbox-problems]").before(notice);
    }
    notice.replaceChildren();
    if (!removed) { return; }
    var undo = linkButton(msg("undo"));
    undo.onclick = function () {
      box.put(removed).then(function () { removed = null; return refresh(); }).then(function () {
        (panel.querySelector("[data-outbox-problems] button, [data-outbox-problems] a") || panel).focus();
      });
    };
    notice.append(msg("removed") + " ", undo);
  }

  function linkButton(text) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "link-button";
    button.textContent = text;
    return button;
  }

  // Show what waits for the signed-in person; on the offline page, the form only when someone is.
  function refresh() {
    return Promise.all([box.user(), box.mine()]).then(function (found) {
      var waiting = found[1].filter(function (entry) { return !entry.error; });
      var problems = found[1].filter(function (entry) { return entry.error; });
      Array.prototype.forEach.call(panels, function (panel) {
        panel.hidden = !found[1].length && !removed;
        undoNotice(panel);
        panel.querySelector("[data-outbox-count]").textContent = msg("count", waiting.length);
        // Only refused entries: no "waiting: 0".
        panel.querySelector("[data-outbox-count]").hidden = !waiting.length;
        panel.querySelector("[data-outbox-waiting]").hidden = !waiting.length;
        panel.querySelector("[data-outbox-send]").hidden = !waiting.length;
        var list = panel.querySelector("[data-outbox-problems]");
        list.replaceChildren();
        var form = document.querySelector("form[data-outbox]");
        problems.forEach(function (entry) {
          var item = document.createElement("li");
          var day = new Date(entry.fields.occurred_on + "T12:00:00");
          item.textContent = (isNaN(day) ? "" : day.toLocaleDateString(document.documentElement.lang) + ": ") +
            msg("failed") + " " + entry.error + " ";
          // Change: back into the log form (without the form here: a link to the log).
          var change = document.createElement(form ? "button" : "a");
          if (form) {
            change.type = "button";
            change.addEventListener("click", function () { putBack(form, entry); });
          } else {
            change.href = panel.getAttribute("data-log-url") + "#outbox-heading";
          }
          change.className = "link-button";
          change.textContent = msg("change");
          var remove = linkButton(msg("remove"));
          // Which entry, for screen readers: two refused entries' buttons are told apart.
          var about = [isNaN(day) ? "" : day.toLocaleDateString(document.documentElement.lang),
                       (entry.fields.note || "").slice(0, 40)].filter(Boolean).join(", ");
          [change, remove].forEach(function (button) {
            if (!about) { return; }
            var hidden = document.createElement("span");
            hidden.className = "visually-hidden";
            var bdi = document.createElement("bdi");
            bdi.textContent = about;
            hidden.append(": ", bdi);
            button.appendChild(hidden);
          });
          remove.addEventListener("click", function () {
            removed = msg("undo") ? entry : null;  // an older offline page has no Undo
            box.remove(entry.client_id).then(refresh).then(function () {
              var undo = panel.querySelector("[data-outbox-removed] button");
              if (undo) { say(msg("removed")); undo.focus(); }
            });
          });
          item.append(change, " ", remove);
          list.appendChild(item);
        });
      });
      var log = document.querySelector("[data-offline-log]");
      if (log) { log.hidden = !found[0]; }
    });
  }

  function send() {
    return box.flush().then(showSent);
  }

  function showSent(result) {
    var refusals = result.refused || [];
    if (result.sent || refusals.length) {
      // "Saved on your phone, sent when you have a connection" at the form is no longer true.
      Array.prototype.forEach.call(document.querySelectorAll("[data-queued]"), function (note) { note.remove(); });
    }
    if (result.sent) {
      var weeks = document.getElementById("log-weeks");
      if (weeks && window.htmx) {
        htmx.ajax("GET", location.pathname + location.search, { target: "#log-weeks", select: "#log-weeks", swap: "outerHTML" });
      }
    }
    if (refusals.length) {
      say(msg("failed") + " " + refusals[0], true);  // the panel lists each, with Change
    } else if (result.sent) {
      say(msg("sent", result.sent));
    } else if (result.signedOut) {
      say(msg("sign-in"), true);
    }
    return refresh();
  }

  function askForSync() {
    if ("serviceWorker" in navigator && navigator.serviceWorker.controller) {
      navigator.serviceWorker.ready.then(function (registration) {
        if (registration.sync) { return registration.sync.register("outbox"); }
      }).catch(function () {});
    }
  }

  function fieldsOf(form) {
    var fields = {};
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrf_token" && name !== "_draft") { fields[name] = String(value); }
    });
    return fields;
  }

  // The server's limits, carried by the form: what it would refuse is not kept. [[name, message]]
  function broken(form, fields) {
    var found = [];
    var note = Array.from((fields.note || "").trim()).length;  // characters, as the server counts
    var max = Number(form.getAttribute("data-note-max"));
    if (max && note > max) { found.push(["note", form.getAttribute("data-msg-note-long").replace("{n}", String(note))]); }
    var day = fields.occurred_on || "";
    var back = form.getAttribute("data-days-back");  // absent on an offline page kept from before
    if (/^\d{4}-\d{2}-\d{2}$/.test(day) && back !== null) {
      if (day > today()) { found.push(["occurred_on", form.getAttribute("data-msg-future")]); }
      else if (day < dayBefore(Number(back))) {
        found.push(["occurred_on", form.getAttribute("data-msg-past")]);
      }
    }
    return found;
  }

  // The message next to its field, as the server shows it (macros/forms.html): after the label
  // (a fieldset's legend), the field (each radio) marked invalid and described by it.
  function mark(form, name, text) {
    var inputs = form.querySelectorAll('[name="' + name + '"]');
    var wrapper = inputs.length && inputs[0].closest(".field");
    if (!wrapper) { return; }
    var error = document.createElement("p");
    error.className = "field__error";
    error.id = form.id + "-" + name + "-phone-error";
    error.setAttribute("data-phone-error", name);
    var hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = form.getAttribute("data-msg-error");
    error.append(hidden, " " + text);
    var anchor = inputs[0];
    while (anchor.parentNode !== wrapper) { anchor = anchor.parentNode; }
    wrapper.insertBefore(error, anchor);
    wrapper.classList.add("field--error");
    Array.prototype.forEach.call(inputs, function (input) { input.setAttribute("aria-invalid", "true"); });
    var described = wrapper.tagName === "FIELDSET" ? wrapper : inputs[0];
    described.setAttribute("aria-describedby", ((described.getAttribute("aria-describedby") || "") + " " + error.id).trim());
  }

  function unmark(form) {
    Array.prototype.forEach.call(form.querySelectorAll("[data-phone-error]"), function (error) {
      var wrapper = error.closest(".field");
      var inputs = form.querySelectorAll('[name="' + error.getAttribute("data-phone-error") + '"]');
      error.remove();
      var described = wrapper && (wrapper.tagName === "FIELDSET" ? wrapper : inputs[0]);
      if (described) {
        var rest = (described.getAttribute("aria-describedby") || "").split(" ").filter(function (id) { return id && id !== error.id; });
        if (rest.length) { described.setAttribute("aria-describedby", rest.join(" ")); } else { described.removeAttribute("aria-describedby"); }
      }
      if (wrapper && !wrapper.querySelector(".field__error")) {
        wrapper.classList.remove("field--error");
        Array.prototype.forEach.call(inputs, function (input) { input.removeAttribute("aria-invalid"); });
      }
    });
  }

  // Marks what is missing or refused, with focus on the first such field. True if any.
  function refused(form, fields) {
    unmark(form);
    var problems = REQUIRED.filter(function (name) { return !fields[name]; }).map(function (name) {
      return [name, form.getAttribute("data-msg-required-" + name) || form.getAttribute("data-msg-incomplete")];
    }).concat(broken(form, fields));
    problems.forEach(function (problem) { mark(form, problem[0], problem[1]); });
    var first = form.querySelector('[aria-invalid="true"]');
    if (first) { first.focus(); }
    return problems.length > 0;
  }

  // A refused entry back in the form, with the reason. It stays in the outbox until the form is
  // saved (same client id), so leaving first loses nothing.
  function fill(form, fields) {
    Array.prototype.forEach.call(form.elements, function (input) {
      if (!input.name || !(input.name in fields)) { return; }
      if (input.type === "radio" || input.type === "checkbox") { input.checked = input.value === fields[input.name]; }
      else { input.value = fields[input.name]; }
    });
  }

  function putBack(form, entry) {
    fill(form, entry.fields);
    var note = form.querySelector("[data-put-back]") || document.createElement("p");
    note.className = "notice notice--error";
    note.setAttribute("data-put-back", "");
    note.tabIndex = -1;
    note.textContent = msg("failed") + " " + entry.error;
    form.insertBefore(note, form.firstChild);
    if (!refused(form, entry.fields)) { note.focus(); }
  }

  // Saved: an entry put back into the form no longer waits (before the swap replaces the form).
  document.addEventListener("htmx:beforeSwap", function (event) {
    var form = event.detail.elt;
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (status < 200 || status > 299 || !form.matches || !form.matches("form[data-outbox]")) { return; }
    var id = form.querySelector('[name="client_id"]');
    if (id && id.value) { box.remove(id.value).then(refresh); }
  });

  function queue(form) {
    var fields = fieldsOf(form);
    // The second tap of a double tap finds the form already emptied: nothing to do.
    var emptied = REQUIRED.some(function (name) { return !fields[name]; });
    if (emptied && form.hasAttribute("data-just-queued")) { return; }
    if (refused(form, fields)) { return; }
    if (!fields.client_id) { say(form.getAttribute("data-msg-incomplete"), true); return; }
    box.user().then(function (owner) {
      if (!owner) { say(msg("sign-in"), true); return; }
      var entry = { client_id: fields.client_id, owner: owner, fields: fields, created_at: new Date().toISOString() };
      return box.put(entry).then(function () {
        form.reset();
        var putBackNote = form.querySelector("[data-put-back]");
        if (putBackNote) { putBackNote.remove(); }
        var id = form.querySelector('[name="client_id"]');
        id.value = newId();
        id.setAttribute("value", id.value);
        var day = form.querySelector('[name="occurred_on"]');
        if (day && !day.value) { day.value = today(); }
        form.setAttribute("data-just-queued", "");
        setTimeout(function () { form.removeAttribute("data-just-queued"); }, 3000);
        say(msg("queued"));
        // Also at the form, with focus there.
        var note = form.querySelector("[data-queued]") || document.createElement("p");
        note.className = "notice";
        note.setAttribute("data-queued", "");
        note.tabIndex = -1;
        note.textContent = msg("queued");
        form.insertBefore(note, form.firstChild);
        note.focus();
        askForSync();
        return refresh().then(function () { if (navigator.onLine !== false) { return send(); } });
      });
    });
  }

  // Offline, the log form saves on the phone (capture phase: before htmx).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-outbox]")) { return; }
    if (form.getAttribute("data-outbox") !== "always" && navigator.onLine !== false) { return; }
    event.preventDefault();
    event.stopPropagation();
    queue(form);
  }, true);

  // Sent, but no answer came: keep it; the client id makes sure it is stored once.
  document.addEventListener("htmx:sendError", function (event) {
    var form = event.target && event.target.closest && event.target.closest("form[data-outbox]");
    if (form) { queue(form); }
  });

  // Signing out: send what waits; if something is left, ask whether to keep it on the phone.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form.sign-out") || form.hasAttribute("data-confirmed")) { return; }
    event.preventDefault();
    event.stopPropagation();
    if (navigator.onLine === false) { say(form.getAttribute("data-msg-offline"), true); return; }
    box.flush().then(box.mine).then(function (left) {
      if (!left.length) { return leave(form, false); }
      var dialog = document.getElementById("outbox-sign-out");
      dialog.querySelector("[data-outbox-left]").textContent = msg("count", left.length);
      dialog.querySelector("[data-keep]").onclick = function () { dialog.close(); leave(form, true); };
      dialog.querySelector("[data-discard]").onclick = function () {
        dialog.close();
        Promise.all(left.map(function (entry) { return box.remove(entry.client_id); })).then(function () { leave(form, false); });
      };
      dialog.showModal();
    });
  }, true);

  function leave(form, keep) {
    box.all().then(function (entries) {
      // Keep the phone's stored data when entries wait there (this person's, or someone else's).
      form.querySelector('[name="keep_outbox"]').value = keep || entries.length ? "1" : "";
      return box.setUser(null);
    }).catch(function () {}).then(function () {
      form.setAttribute("data-confirmed", "");
      form.submit();
    });
  }

  var signedIn = document.querySelector('meta[name="stegvis-user"]');

  // A log entry being written survives leaving the page (a language change, a link): kept for this
  // tab and filled in again. Not its client id: what was sent went to the outbox.
  var KEPT = "stegvis-log-form:" + (signedIn ? signedIn.content : "");
  var logForm = document.querySelector("form[data-outbox]");
  function typedIn(form) {
    return Array.prototype.some.call(form.elements, function (input) {
      if (!input.name || input.type === "hidden" || input.type === "submit" || input.name === "occurred_on") { return false; }
      if (input.type === "radio" || input.type === "checkbox") { return input.checked !== input.defaultChecked; }
      if (input.tagName === "SELECT") {  // with no option marked selected, the first one is the default
        var marked = Array.prototype.filter.call(input.options, function (option) { return option.defaultSelected; });
        return input.selectedIndex !== (marked.length ? marked[0].index : 0);
      }
      return input.value !== input.defaultValue;
    });
  }
  if (logForm && signedIn && window.sessionStorage) {
    window.addEventListener("pagehide", function () {
      var form = document.querySelector("form[data-outbox]");  // htmx may have put a new one in its place
      try {
        if (!form || !typedIn(form)) { sessionStorage.removeItem(KEPT); return; }
        var fields = fieldsOf(form);
        delete fields.client_id;
        sessionStorage.setItem(KEPT, JSON.stringify(fields));
      } catch (error) { /* storage full or off: nothing kept */ }
    });
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) { sessionStorage.removeItem(KEPT); }  // back from the cache, still filled in
    });
    var kept = null;
    try { kept = JSON.parse(sessionStorage.getItem(KEPT) || "null"); sessionStorage.removeItem(KEPT); } catch (error) { kept = null; }
    if (kept && !typedIn(logForm)) {
      fill(logForm, kept);
      var note = document.createElement("p");
      note.className = "notice";
      note.textContent = document.body.getAttribute("data-msg-draft") || "";
      logForm.insertBefore(note, logForm.firstChild);
    }
  }

  // Every participant's page says whose outbox this is.
  var ready = signedIn ? box.setUser(signedIn.content) : Promise.resolve();
  ready.then(function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-outbox] [name=occurred_on]"), function (day) {
      if (!day.value) { day.value = today(); }
    });
    Array.prototype.forEach.call(document.querySelectorAll("form[data-outbox] [name=client_id]"), function (id) {
      if (!id.value) { id.value = newId(); }
    });
    return refresh();
  }).then(send).catch(function () {});
  window.addEventListener("online", send);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.outbox) { showSent(event.data.outbox); }
    });
  }
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "visible") { send(); } });
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-outbox-send]")) { send(); }
  });
})();

/* Drafts: what a person types in a form with a text area is kept on the phone (localStorage) until
   the server says the form was saved. A lost connection or a sign-in that ran out loses nothing:
   the form is filled in again the next time it is shown. Kept per person and per form. */
(function () {
  "use strict";

  var who = document.querySelector('meta[name="stegvis-user"]');
  if (!who || !window.localStorage) { return; }
  var PREFIX = "stegvis-draft:" + who.content + ":";

  // The form's address and its hidden choices (e.g. which thread) tell one form from another.
  function keyOf(form) {
    var hidden = Array.prototype.filter.call(form.querySelectorAll("input[type=hidden]"), function (input) {
      return !/(^|-)(csrf_token|_draft|client_id|base_version|once)$/.test(input.name);
    }).map(function (input) { return input.name + "=" + input.value; });
    return PREFIX + (form.getAttribute("action") || "") + "#" + (form.id || "") + "?" + hidden.join("&");
  }
  function fieldsOf(form) {
    return Array.prototype.filter.call(form.querySelectorAll("textarea, input[type=text], input:not([type])"), function (field) {
      return field.name && field.name !== "csrf_token";
    });
  }
  // The version the text was written on, and the form's token (webapp/once.py): kept with the text.
  function keptOf(form) {
    return form.querySelectorAll('input[type=hidden][name$="base_version"], input[type=hidden][name="once"]');
  }
  function read(key) {
    try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (error) { return null; }
  }
  function idField(form) {
    var input = form.querySelector('input[name="_draft"]');
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = "_draft";
      input.value = Math.random().toString(36).slice(2) + Date.now().toString(36);
      form.appendChild(input);
    }
    return input;
  }

  function save(form) {
    var values = {};
    var typed = false;
    fieldsOf(form).forEach(function (field) {
      values[field.name] = field.value;
      if (field.value !== field.defaultValue) { typed = true; }
    });
    // The step's version and the form's token, restored with the text: a change made elsewhere is
    // a conflict, not an overwrite, and a resend is a repeat.
    Array.prototype.forEach.call(keptOf(form), function (input) { values[input.name] = input.value; });
    var key = keyOf(form);
    if (!typed) { localStorage.removeItem(key); return; }
    try { localStorage.setItem(key, JSON.stringify({ id: idField(form).value, values: values })); } catch (error) { /* full */ }
  }

  function restore(root) {
    Array.prototype.forEach.call(root.querySelectorAll("form[method=post]"), function (form) {
      if (!form.querySelector("textarea") || form.hasAttribute("data-outbox")) { return; }
      var draft = read(keyOf(form));
      if (!draft) { return; }
      var fields = fieldsOf(form);
      var untouched = fields.every(function (field) { return field.value === field.defaultValue; });
      var differs = fields.some(function (field) { return draft.values[field.name] && draft.values[field.name] !== field.value; });
      if (!untouched || !differs) { return; }
      fields.forEach(function (field) { if (field.name in draft.values) { field.value = draft.values[field.name]; } });
      Array.prototype.forEach.call(keptOf(form), function (input) {
        if (input.name in draft.values) { input.value = draft.values[input.name]; }
      });
      idField(form).value = draft.id;
      var note = document.createElement("p");
      note.className = "notice";
      note.textContent = document.body.getAttribute("data-msg-draft") || "";
      form.insertBefore(note, form.firstChild);
    });
  }

  function forget(ids) {
    Object.keys(localStorage).forEach(function (key) {
      if (key.indexOf(PREFIX) !== 0) { return; }
      var draft = read(key);
      if (draft && ids.indexOf(draft.id) !== -1) { localStorage.removeItem(key); }
    });
  }

  document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (form && form.method === "post" && form.querySelector("textarea") && !form.hasAttribute("data-outbox")) { save(form); }
  });
  // htmx: the answer says which draft was saved.
  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    var saved = xhr && xhr.getResponseHeader("Stegvis-Draft-Saved");
    if (saved) { forget([saved]); }
  });
  document.addEventListener("htmx:afterSettle", function (event) { if (event.target.querySelectorAll) { restore(event.target); } });
  // A plain form: the next page says which drafts were saved.
  var done = document.querySelector('meta[name="stegvis-drafts-done"]');
  if (done) { forget(done.content.split(" ")); }
  restore(document);
})();
