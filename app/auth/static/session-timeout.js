// Idle-session warning (progressive enhancement; without JavaScript the server still ends idle sessions).
// After the warning delay, a notice with a "Stay signed in" button appears at the top of the page; the
// button refreshes the session in the background so what the citizen typed is not lost. At the timeout,
// the page goes to the "session expired" page.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var data = script.dataset;
  var warningTimer, expiryTimer;

  function removeNotice() {
    var old = document.getElementById("session-timeout-notice");
    if (old) { old.parentNode.removeChild(old); }
  }

  function showNotice() {
    removeNotice();
    var notice = document.createElement("div");
    notice.id = "session-timeout-notice";
    notice.className = "qc-notice qc-warning parcours-notice";
    notice.setAttribute("role", "alert");
    var content = document.createElement("div");
    content.className = "content";
    var text = document.createElement("p");
    text.textContent = data.warningText;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "qc-button qc-secondary";
    button.textContent = data.extendText;
    button.addEventListener("click", extend);
    content.appendChild(text);
    content.appendChild(button);
    notice.appendChild(content);
    var main = document.querySelector("main .qc-container") || document.body;
    main.insertBefore(notice, main.firstChild);
    button.focus();
  }

  function extend() {
    fetch(data.extendUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {"X-CSRFToken": data.csrfToken, "Accept": "application/json"}
    }).then(function (response) {
      if (response.ok) { removeNotice(); schedule(); }
      else { window.location.href = data.warningUrl; }
    }).catch(function () { window.location.href = data.warningUrl; });
  }

  function schedule() {
    clearTimeout(warningTimer);
    clearTimeout(expiryTimer);
    warningTimer = setTimeout(showNotice, Number(data.warningAfter) * 1000);
    expiryTimer = setTimeout(function () { window.location.href = data.expiredUrl; },
                             Number(data.timeoutAfter) * 1000);
  }

  schedule();
})();
