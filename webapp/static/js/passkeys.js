/* Passkeys (WebAuthn): sign in, and add one on the sign-in settings page.
 *
 * Only an enhancement: every page has a way to sign in without it. The box stays hidden unless
 * this browser can make passkeys. The server sends the options as JSON (base64url for bytes),
 * we turn them into what navigator.credentials wants, and send the answer back the same way.
 * Written without PublicKeyCredential.parseCreationOptionsFromJSON/toJSON so that older phones
 * work too.
 */
(function () {
  "use strict";

  function fromB64url(text) {
    var b64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) { b64 += "="; }
    var raw = atob(b64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes.buffer;
  }

  function toB64url(buffer) {
    var bytes = new Uint8Array(buffer);
    var raw = "";
    for (var i = 0; i < bytes.length; i++) { raw += String.fromCharCode(bytes[i]); }
    return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function withBuffers(options) {
    options.challenge = fromB64url(options.challenge);
    if (options.user) { options.user.id = fromB64url(options.user.id); }
    ["excludeCredentials", "allowCredentials"].forEach(function (key) {
      (options[key] || []).forEach(function (cred) { cred.id = fromB64url(cred.id); });
    });
    return options;
  }

  function credentialJSON(cred) {
    var r = cred.response;
    var response = { clientDataJSON: toB64url(r.clientDataJSON) };
    if (r.attestationObject) {
      response.attestationObject = toB64url(r.attestationObject);
      if (r.getTransports) { response.transports = r.getTransports(); }
    } else {
      response.authenticatorData = toB64url(r.authenticatorData);
      response.signature = toB64url(r.signature);
      if (r.userHandle) { response.userHandle = toB64url(r.userHandle); }
    }
    return {
      id: cred.id, rawId: toB64url(cred.rawId), type: cred.type, response: response,
      clientExtensionResults: cred.getClientExtensionResults ? cred.getClientExtensionResults() : {},
      authenticatorAttachment: cred.authenticatorAttachment || undefined
    };
  }

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body || {})
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) { var problem = new Error(data.error || ""); problem.fromServer = true; throw problem; }
        return data;
      });
    });
  }

  function run(box) {
    var kind = box.getAttribute("data-passkey");
    var error = box.querySelector("[data-passkey-error]");
    var button = box.querySelector("button");
    error.textContent = "";
    button.disabled = true;
    post(box.getAttribute("data-options")).then(function (options) {
      var publicKey = withBuffers(options.publicKey);
      var ask = kind === "register"
        ? navigator.credentials.create({ publicKey: publicKey })
        : navigator.credentials.get({ publicKey: publicKey });
      return ask.then(function (cred) {
        return post(box.getAttribute("data-finish"), {
          ceremony: options.ceremony, credential: credentialJSON(cred), next: box.getAttribute("data-next") || ""
        });
      });
    }).then(function (done) {
      window.location.assign(done.redirect);
    }).catch(function (problem) {
      button.disabled = false;
      // A message from our server is in the person's language; the browser's own are not.
      error.textContent = (problem && problem.fromServer && problem.message) || box.getAttribute("data-msg-failed");
    });
  }

  if (!window.PublicKeyCredential || !navigator.credentials || !window.fetch) { return; }
  document.querySelectorAll("[data-passkey]").forEach(function (box) {
    box.hidden = false;
    box.querySelector("button").addEventListener("click", function () { run(box); });
  });
})();
