// Enhancements for quiz pages; everything works without them (plain form posts).
// 1. Autosave: each change is saved in the background, so a dropped connection loses nothing.
// 2. Countdown: the time-left line counts down; the server enforces the limit either way.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (form && window.fetch && window.FormData) {
    var status = form.querySelector(".autosave-status");
    var queue = Promise.resolve();
    form.addEventListener("change", function () {
      // An ordering is saved once every item has a place; before that the server rejects it as not fitting.
      if (form.querySelector("select.position option[value='']:checked")) { return; }
      var data = new FormData(form);
      data.delete("go");
      // One save at a time, in order: an older save must never land after a newer one.
      queue = queue.then(function () {
        return fetch(form.getAttribute("data-autosave"), { method: "POST", body: data, credentials: "same-origin" })
          .then(function (response) { return response.json(); })
          .then(function (body) { if (status) { status.textContent = body.message || ""; } })
          .catch(function () { /* offline: the answer is still sent when the form is submitted */ });
      });
    });
  }
  var timer = document.querySelector("[data-seconds-left]");
  if (timer) {
    var left = parseInt(timer.getAttribute("data-seconds-left"), 10);
    var template = timer.textContent;
    var tick = function () {
      left = Math.max(0, left - 1);
      var minutes = Math.floor(left / 60), seconds = left % 60;
      timer.textContent = template.replace(/\d[\d\s\u00a0,.]*/, minutes + ":" + (seconds < 10 ? "0" : "") + seconds + " ");
      if (left === 0 && form) { clearInterval(handle); form.querySelector("button[value=submit]").click(); }
    };
    var handle = setInterval(tick, 1000);
  }
})();
