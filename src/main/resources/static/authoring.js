// The module editor (ModuleEditorPages). Every editor form works without script with its "Spara" button; this file only
// adds saving in the background, so that nothing typed is lost if the session ends: about 1.5 s after the coordinator
// stops typing, and when the tab is hidden or left (fetch with keepalive outlives the page). It posts the same form to
// the same address with autosave=1 and gets the draft's new revision back, which the form carries from then on; a 409
// means someone else saved the draft meanwhile, and is shown instead of overwriting their work.
(function () {
  // A failed publish lists its problems at the top: move the focus there so that screen readers start with them.
  var problems = document.getElementById('problem-rubrik');
  if (problems) {
    problems.focus();
  }
  var preview = document.getElementById('forhandsgranskning');
  if (preview && !problems) {
    preview.focus();
  }

  var form = document.querySelector('form[data-autosave]');
  if (!form || !window.fetch || !window.URLSearchParams) {
    return;
  }
  var status = form.querySelector('[data-save-status]');
  var revision = form.querySelector('input[name=revision]');
  var timer = null;
  var dirty = false;
  var stopped = false;

  function show(text, warning) {
    status.textContent = text;
    status.classList.toggle('warning', !!warning);
  }

  function body() {
    var data = new URLSearchParams();
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.disabled || field.type === 'submit' || field.type === 'button' || field.type === 'file') {
        return;
      }
      if ((field.type === 'checkbox' || field.type === 'radio') && !field.checked) {
        return;
      }
      data.append(field.name, field.value);
    });
    data.append('autosave', '1');
    return data;
  }

  var inFlight = null;

  // leaving: the tab is hidden or the page is going away. The request is sent with keepalive so that it outlives the
  // page; if the page stays (the coordinator only switched tabs), its answer still carries the new revision, which the
  // form must take over, or the next save would be refused as a conflict with this one.
  function save(leaving) {
    if (!dirty || stopped) {
      return inFlight;
    }
    dirty = false;
    clearTimeout(timer);
    if (!leaving) {
      show('Sparar …');
    }
    inFlight = fetch(form.getAttribute('action'), {
      // No Accept header: the pages produce HTML, and a route asked for JSON only would answer 406.
      method: 'POST', body: body(), credentials: 'same-origin', keepalive: !!leaving
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        if (response.ok) {
          revision.value = answer.revision;
          show('Sparat ' + answer.savedAt);
        } else if (response.status === 409) {
          // Saving again would overwrite the other change: stop and say so; the typed text stays in the form.
          stopped = true;
          show(answer.message || 'Utkastet har ändrats av någon annan. Ladda om sidan.', true);
        } else {
          dirty = true;
          show('Inte sparat: ' + (answer.message || 'försök igen med Spara.'), true);
        }
      });
    }).catch(function () {
      dirty = true;
      show('Inte sparat: ingen kontakt med servern. Det du skrivit finns kvar här; försök igen med Spara.', true);
    }).then(function () {
      inFlight = null;
    });
    return inFlight;
  }

  function changed() {
    dirty = true;
    clearTimeout(timer);
    timer = setTimeout(function () { save(false); }, 1500);
  }

  form.addEventListener('input', changed);
  form.addEventListener('change', changed);
  form.addEventListener('submit', function (event) {
    clearTimeout(timer);
    if (inFlight && !stopped) {
      // A background save is on its way: submit once it is answered, with the revision it returns, or the submit
      // would be refused as a conflict with it.
      event.preventDefault();
      var submitter = event.submitter;
      inFlight.then(function () {
        dirty = false;
        stopped = true;
        if (form.requestSubmit && submitter) {
          form.requestSubmit(submitter);
        } else {
          form.submit();
        }
      });
      return;
    }
    // The normal submit saves everything; no background save may race it.
    dirty = false;
    stopped = true;
  });
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'hidden') {
      save(true);
    }
  });
  window.addEventListener('pagehide', function () { save(true); });
})();
