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
