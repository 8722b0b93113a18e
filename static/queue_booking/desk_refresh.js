// S-3 on the staff desk: the panel of waits and services close to the hour or over it is fetched
// again every few seconds (the panel's data-refresh-seconds) and replaced in place, so the forms on
// the page keep what is being typed. Without JavaScript the panel is as of the page's loading.
(function () {
  "use strict";
  var panel = document.getElementById("s3-panel");
  if (!panel || !window.fetch) {
    return;
  }
  var url = panel.getAttribute("data-refresh-url");
  var seconds = parseInt(panel.getAttribute("data-refresh-seconds"), 10) || 30;
  var timer = window.setInterval(function () {
    window
      .fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.redirected || !response.ok) {
          // signed out, or no longer desk staff: stop, the next action on the page says why
          window.clearInterval(timer);
          return null;
        }
        return response.text();
      })
      .then(function (html) {
        if (html !== null) {
          panel.innerHTML = html;
        }
      })
      .catch(function () {
        // the network dropped: the next tick tries again
      });
  }, seconds * 1000);
})();
