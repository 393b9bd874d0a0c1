// The demo package's own script: finds the LMS's SCORM 2004 API the standard way (parents, then the opener), resumes at
// the bookmarked step with the answers kept in suspend data, and reports progress, score and completion.
(function () {
  'use strict';

  function findApi(win) {
    for (let hops = 0; win && hops < 10; hops++) {
      if (win.API_1484_11) {
        return win.API_1484_11;
      }
      if (win.parent === win) {
        break;
      }
      win = win.parent;
    }
    return null;
  }

  const api = findApi(window) || (window.opener ? findApi(window.opener) : null);
  const started = Date.now();
  const steps = document.querySelectorAll('.sida');
  const last = steps.length;
  let step = 1;
  let answers = {};
  let finished = false;

  function call(name, element, value) {
    if (!api) {
      return '';
    }
    return value === undefined ? api[name](element) : api[name](element, value);
  }

  function sessionTime() {
    const seconds = Math.round((Date.now() - started) / 1000);
    return 'PT' + seconds + 'S';
  }

  function save() {
    call('SetValue', 'cmi.location', String(step));
    call('SetValue', 'cmi.suspend_data', JSON.stringify(answers));
    call('SetValue', 'cmi.progress_measure', (Math.min(step, last - 1) / (last - 1)).toFixed(2));
    call('Commit', '');
  }

  function show(next, focus) {
    step = Math.max(1, Math.min(last, next));
    steps.forEach(s => { s.hidden = Number(s.dataset.steg) !== step; });
    document.getElementById('steg-text').textContent = 'Steg ' + step + ' av ' + last;
    document.getElementById('foregaende').disabled = step === 1;
    document.getElementById('nasta').disabled = step === last;
    for (const [name, value] of Object.entries(answers)) {
      const box = document.querySelector('input[name="' + name + '"][value="' + value + '"]');
      if (box) {
        box.checked = true;
      }
    }
    if (focus) {
      document.getElementById('rubrik-' + step).focus();
    }
  }

  function submit(event) {
    event.preventDefault();
    const names = ['f1', 'f2', 'f3'];
    const unanswered = names.filter(n => !answers[n]);
    const result = document.getElementById('resultat');
    if (unanswered.length) {
      result.textContent = 'Svara på alla tre frågorna innan du lämnar in.';
      return;
    }
    const right = names.filter(n => answers[n] === 'ratt').length;
    call('SetValue', 'cmi.score.min', '0');
    call('SetValue', 'cmi.score.max', String(names.length));
    call('SetValue', 'cmi.score.raw', String(right));
    call('SetValue', 'cmi.score.scaled', (right / names.length).toFixed(2));
    call('SetValue', 'cmi.completion_status', 'completed');
    call('SetValue', 'cmi.progress_measure', '1');
    save();
    const passed = call('GetValue', 'cmi.success_status') === 'passed';
    result.textContent = right + ' av ' + names.length + ' rätt. '
        + (passed ? 'Godkänt – övningen är klar.' : 'Inte godkänt ännu: läs stegen igen och pröva en gång till.');
    if (passed) {
      finish('normal');
    }
  }

  function finish(exit) {
    if (finished || !api) {
      return;
    }
    finished = true;
    call('SetValue', 'cmi.exit', exit);
    call('SetValue', 'cmi.session_time', sessionTime());
    call('Terminate', '');
  }

  document.addEventListener('DOMContentLoaded', () => {
    if (api && call('Initialize', '') === 'true') {
      if (call('GetValue', 'cmi.entry') === 'resume') {
        step = Number(call('GetValue', 'cmi.location')) || 1;
        try {
          answers = JSON.parse(call('GetValue', 'cmi.suspend_data') || '{}');
        } catch (e) {
          answers = {};
        }
      }
      if (call('GetValue', 'cmi.completion_status') === 'unknown') {
        call('SetValue', 'cmi.completion_status', 'incomplete');
      }
    }
    document.getElementById('foregaende').addEventListener('click', () => { show(step - 1, true); save(); });
    document.getElementById('nasta').addEventListener('click', () => { show(step + 1, true); save(); });
    document.getElementById('fragor').addEventListener('change', e => {
      answers[e.target.name] = e.target.value;
      save();
    });
    document.getElementById('fragor').addEventListener('submit', submit);
    show(step, false);
  });

  // Leaving in the middle keeps the place: exit "suspend", so the next launch resumes.
  window.addEventListener('pagehide', () => finish('suspend'));
})();
