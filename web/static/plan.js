// Updates the progress of a running plan (/plans/{id}) every few seconds,
// in place of a meta refresh (WCAG 2.2.1): only the progress part changes,
// and "Pause updates" stops it. When the plan is no longer running, the page
// reloads to show the result. Without this script the page has a Refresh link.
(function () {
  'use strict';
  var section = document.getElementById('progress');
  var now = document.getElementById('progress-now');
  var auto = document.getElementById('progress-auto');
  var pause = document.getElementById('progress-pause');
  if (!section || !now || !auto || !pause || !window.fetch || !window.DOMParser) return;
  var every = Math.max(1, Number(section.getAttribute('data-refresh')) || 3) * 1000;
  var paused = false;
  var timer = 0;

  function schedule() {
    clearTimeout(timer);
    if (!paused) timer = setTimeout(update, every);
  }

  function update() {
    fetch(window.location.pathname, { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'text/html' } })
      .then(function (resp) {
        if (!resp.ok || resp.redirected) {
          // Signed out, or the plan is gone: show what the server says.
          if (resp.status < 500) window.location.reload(); else schedule();
          return null;
        }
        return resp.text();
      })
      .then(function (html) {
        if (html === null) return;
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var fresh = doc.getElementById('progress-now');
        if (!fresh) {
          // Finished, failed or cancelled: show the result.
          window.location.reload();
          return;
        }
        if (fresh.innerHTML !== now.innerHTML) now.innerHTML = fresh.innerHTML;
        schedule();
      })
      .catch(function () { schedule(); });
  }

  pause.addEventListener('click', function () {
    paused = !paused;
    pause.textContent = paused ? pause.getAttribute('data-resume') : pause.getAttribute('data-pause');
    if (paused) clearTimeout(timer); else update();
  });
  auto.hidden = false;
  schedule();
})();
