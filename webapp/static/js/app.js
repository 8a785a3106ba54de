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

  // After a swap, move focus into the changed area so keyboard and screen reader users
  // continue where the change happened. The server marks the element with data-focus.
  function focusMarked(root) {
    // A mark inside the swapped content wins over a mark left on the target itself
    // (an innerHTML swap settles on the old element, which may still carry one).
    var target = root.querySelector("[data-focus]") || (root.matches("[data-focus]") ? root : null);
    if (!target) { return false; }
    target.removeAttribute("data-focus");
    if (!target.matches("a, button, input, select, textarea, [tabindex]")) {
      target.setAttribute("tabindex", "-1");
    }
    target.focus();
    return true;
  }

  // htmx fires afterSettle on each swapped-in element (the target itself for innerHTML swaps).
  document.addEventListener("htmx:afterSettle", function (event) {
    var root = event.target;
    if (root && root.isConnected && root.id !== "status" && root.querySelector) {
      focusMarked(root);
    }
  });

  // A request that never reached the server: say so, in the page's language, and keep the form.
  document.addEventListener("htmx:sendError", function () {
    var status = document.getElementById("status");
    if (status) {
      var p = document.createElement("p");
      p.className = "notice notice--error";
      p.textContent = document.body.getAttribute("data-msg-offline") || "";
      status.replaceChildren(p);
    }
  });

  // On a page that came back with errors, start at the error summary (GOV.UK pattern).
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
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
