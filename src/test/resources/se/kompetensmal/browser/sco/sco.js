/*
 * A test SCO's own script, packed into the packages ScormPlayerBrowserTest builds. It behaves like content from authoring
 * tools: it finds the API by walking its parent frames (then the opener), reads elements before setting them, keeps a
 * bookmark and suspend data, finishes in its unload handler (so a reload finishes it while the next page starts), calls
 * finish twice and commits after finishing. Every call and its error code go to window.scoLog for the test to read.
 * Settings come from the html element: data-edition (1.2 or 2004), data-pages, data-score, data-suspend-length.
 */
(function () {
  'use strict';
  var root = document.documentElement;
  var edition = root.getAttribute('data-edition');
  var pages = Number(root.getAttribute('data-pages') || '3');
  var score = root.getAttribute('data-score') || '';
  var suspendLength = Number(root.getAttribute('data-suspend-length') || '0');
  var v12 = edition === '1.2';
  var E = v12
    ? {location: 'cmi.core.lesson_location', entry: 'cmi.core.entry', exit: 'cmi.core.exit', status: 'cmi.core.lesson_status',
       suspend: 'cmi.suspend_data', session: 'cmi.core.session_time'}
    : {location: 'cmi.location', entry: 'cmi.entry', exit: 'cmi.exit', status: 'cmi.completion_status',
       suspend: 'cmi.suspend_data', session: 'cmi.session_time'};
  var log = window.scoLog = [];
  var api = null;
  var page = 1;
  var terminated = false;
  var started = Date.now();

  function scan(win, name) {
    for (var tries = 0; win && tries < 10; tries++) {
      try {
        if (win[name]) {
          return win[name];
        }
      } catch (crossOrigin) {
        return null;
      }
      if (!win.parent || win.parent === win) {
        return null;
      }
      win = win.parent;
    }
    return null;
  }

  function find() {
    var name = v12 ? 'API' : 'API_1484_11';
    return scan(window, name) || (window.opener ? scan(window.opener, name) : null);
  }

  function call(method, a, b) {
    var names = v12
      ? {Initialize: 'LMSInitialize', Terminate: 'LMSFinish', GetValue: 'LMSGetValue', SetValue: 'LMSSetValue',
         Commit: 'LMSCommit', GetLastError: 'LMSGetLastError', GetErrorString: 'LMSGetErrorString'}
      : {Initialize: 'Initialize', Terminate: 'Terminate', GetValue: 'GetValue', SetValue: 'SetValue', Commit: 'Commit',
         GetLastError: 'GetLastError', GetErrorString: 'GetErrorString'};
    var result = b === undefined ? api[names[method]](a) : api[names[method]](a, b);
    var error = api[names.GetLastError]();
    log.push({method: method, element: method === 'GetValue' || method === 'SetValue' ? a : '', result: String(result),
      error: String(error), errorString: api[names.GetErrorString](error)});
    return result;
  }

  function show() {
    document.getElementById('sida').textContent = 'Sida ' + page + ' av ' + pages;
  }

  function suspendData() {
    var text = 'sida=' + page + ';besokt=' + new Date(started).toISOString() + ';';
    while (text.length < suspendLength) {
      text += 'abcdefghijklmnopqrstuvwxyz0123456789'.slice(0, Math.min(36, suspendLength - text.length));
    }
    return text;
  }

  function sessionTime() {
    var seconds = Math.max(1, Math.round((Date.now() - started) / 1000));
    if (v12) {
      var h = Math.floor(seconds / 3600), m = Math.floor(seconds / 60) % 60, s = seconds % 60;
      return (h < 10 ? '000' : h < 100 ? '00' : h < 1000 ? '0' : '') + h + ':' + (m < 10 ? '0' : '') + m + ':' + (s < 10 ? '0' : '') + s;
    }
    return 'PT' + seconds + 'S';
  }

  function finish() {
    if (terminated) {
      return;
    }
    terminated = true;
    call('SetValue', E.session, sessionTime());
    call('Terminate', '');
  }

  document.addEventListener('DOMContentLoaded', function () {
    api = find();
    if (!api) {
      document.getElementById('logg').textContent = 'Inget SCORM-API hittades.';
      return;
    }
    call('Initialize', '');
    // Read before anything is set, as many tools do: the bookmark of a first launch is empty (2004: error 403).
    var location = call('GetValue', E.location);
    var entry = call('GetValue', E.entry);
    var saved = call('GetValue', E.suspend);
    var status = call('GetValue', E.status);
    var match = /^sida-(\d+)$/.exec(location);
    page = match ? Number(match[1]) : 1;
    show();
    document.getElementById('sparat').textContent = 'Sparat: ' + saved.length + ' tecken, början: ' + saved.slice(0, 12);
    document.getElementById('ingang').textContent = 'Ingång: ' + entry;
    if (status === 'not attempted' || status === 'unknown') {
      call('SetValue', E.status, 'incomplete');
    }
    call('SetValue', E.exit, 'suspend');
    document.getElementById('logg').textContent = 'Redo';
  });

  document.addEventListener('click', function (event) {
    var id = event.target && event.target.id;
    if (id === 'nasta') {
      page = Math.min(page + 1, pages);
      call('SetValue', E.location, 'sida-' + page);
      call('SetValue', E.suspend, suspendData());
      call('Commit', '');
      show();
      document.getElementById('logg').textContent = 'Sparat på sida ' + page;
    } else if (id === 'klar') {
      if (v12) {
        call('SetValue', 'cmi.core.score.raw', score);
        call('SetValue', E.status, 'completed');
      } else {
        if (score !== '') {
          call('SetValue', 'cmi.score.scaled', score);
        }
        call('SetValue', E.status, 'completed');
      }
      call('Commit', '');
      document.getElementById('logg').textContent = 'Klar';
    } else if (id === 'vidare' || id === 'tillbaka' || /^val-/.test(id || '')) {
      var request = id === 'vidare' ? 'continue' : id === 'tillbaka' ? 'previous'
        : '{target=' + event.target.getAttribute('data-target') + '}choice';
      call('SetValue', 'adl.nav.request', request);
      finish();
    } else if (id === 'avsluta') {
      finish();
      // Finishing twice and committing after finishing: the standard's errors, not an exception.
      call('Terminate', '');
      call('Commit', '');
      document.getElementById('logg').textContent = 'Avslutad';
    }
  });

  // The classic pattern: finish when the page goes away.
  window.addEventListener('pagehide', finish);
}());
