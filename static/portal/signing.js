// Signing a document with an electronic signature in the browser (issue: signatures, item 2).
//
// A page includes templates/portal/_signing.html: a widget with the content to sign (base64, the
// server's canonical form of the document) and the id of the form field that receives the CMS.
// "Sign with NCALayer" asks NCALayer, the national CA's desktop application, over its local
// websocket (wss://127.0.0.1:13579, module kz.gov.pki.knca.basics, method sign, format cms) through
// the vendored ncalayer-js-client; the key never leaves the person's computer. In development a
// clearly marked demo signer stands in for it: the server signs with the signed-in person's key of
// the test PKI. Either way the server verifies the signature when the form is sent; this script
// only fills the field. Messages come from the page, in its language. A widget with a content URL
// (data-content-url) first sends its form there and signs the canonical content the server answers
// for the form as filled in (files attached included), showing its text in [data-signing-text].
(function () {
  "use strict";

  var NCALAYER_URL = "wss://127.0.0.1:13579";

  function widgetMessages(widget) {
    var source = document.getElementById(widget.getAttribute("data-messages"));
    return source ? JSON.parse(source.textContent) : {};
  }

  function say(widget, text, isError) {
    var status = widget.querySelector("[data-signing-status]");
    status.textContent = text;
    status.classList.toggle("error", Boolean(isError));
  }

  function fail(kind, detail) {
    var error = new Error(detail || kind);
    error.kind = kind;
    return error;
  }

  async function signWithNcalayer(widget) {
    var Client = window.NCALayerClient;
    // The KAZTOKEN HTTP API is not used: the page's security policy allows only NCALayer's socket.
    var client = new Client(NCALAYER_URL, false);
    try {
      await client.connect();
    } catch (error) {
      throw fail("not_running");
    }
    try {
      return await client.basicsSignCMS(
        Client.basicsStorageAll,
        widget.getAttribute("data-content"),
        Client.basicsCMSParamsDetached,
        Client.basicsSignerSignAny,
        widget.getAttribute("data-language") || "ru"
      );
    } catch (error) {
      throw fail(error && error.canceledByUser ? "cancelled" : "failed", error && error.message);
    }
  }

  async function signWithDemo(widget) {
    var form = widget.closest("form");
    var token = form ? form.querySelector("input[name=csrfmiddlewaretoken]") : null;
    var body = new FormData();
    body.append("content", widget.getAttribute("data-content"));
    var response = await fetch(widget.getAttribute("data-demo-url"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: token ? { "X-CSRFToken": token.value } : {}
    });
    var answer = await response.json().catch(function () { return {}; });
    if (!response.ok) {
      throw fail("failed", answer.errors && answer.errors[0] ? answer.errors[0].message : String(response.status));
    }
    return answer.cms;
  }

  async function refreshContent(widget) {
    var url = widget.getAttribute("data-content-url");
    var form = widget.closest("form");
    if (!url || !form) { return; }
    var body = new FormData(form);
    body.append("prepare", "1");
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    var response = await fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: token ? { "X-CSRFToken": token.value } : {}
    });
    var answer = await response.json().catch(function () { return {}; });
    if (!response.ok || !answer.content) {
      var first = answer.errors && answer.errors[0];
      throw fail("invalid", first ? first.message : String(response.status));
    }
    widget.setAttribute("data-content", answer.content);
    var shown = document.querySelector("[data-signing-text]");
    if (shown && typeof answer.text === "string") { shown.textContent = answer.text; }
  }

  function start(widget) {
    var messages = widgetMessages(widget);
    var field = document.getElementById(widget.getAttribute("data-target"));
    function run(signer) {
      return async function () {
        say(widget, messages.working || "…");
        try {
          await refreshContent(widget);
          field.value = await signer(widget);
          say(widget, messages.signed || "");
          var submit = widget.closest("form") && widget.closest("form").querySelector("button[type=submit]");
          if (submit) { submit.focus(); }
        } catch (error) {
          var text = messages[error.kind] || messages.failed || "";
          if ((error.kind === "failed" || error.kind === "invalid") && error.message) { text += " (" + error.message + ")"; }
          say(widget, text, true);
        }
      };
    }
    widget.querySelectorAll("[data-sign-ncalayer]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", run(signWithNcalayer));
    });
    widget.querySelectorAll("[data-sign-demo]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", run(signWithDemo));
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-signing]").forEach(start);
  });
})();
