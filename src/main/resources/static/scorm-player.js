/*
 * The player page (player/PlayerPages): shows what the package's frame reports with postMessage. Only messages from that
 * frame, on the package origin, are read. Statuses update the table of contents; a lost connection is shown until the
 * frame says everything is saved; a SCO's navigation request (continue, previous, choice) opens that part.
 */
(function () {
  'use strict';
  var frame = document.getElementById('spelare');
  if (!frame) {
    return;
  }
  var packageOrigin = frame.getAttribute('data-origin');
  var status = document.getElementById('spelare-status');
  var alert = document.getElementById('spelare-fel');
  var contents = document.getElementById('spelare-delar');
  var lostShown = false;
  var known = {};

  function say(region, text, className) {
    region.textContent = '';
    if (text) {
      var p = document.createElement('p');
      p.className = className;
      p.textContent = text;
      region.appendChild(p);
    }
  }

  function label(completion, success) {
    if (!contents) {
      return '';
    }
    if (success === 'failed') { return contents.getAttribute('data-labels-failed'); }
    if (success === 'passed') { return contents.getAttribute('data-labels-passed'); }
    if (completion === 'completed') { return contents.getAttribute('data-labels-completed'); }
    if (completion === 'incomplete' || completion === 'unknown') { return contents.getAttribute('data-labels-incomplete'); }
    return contents.getAttribute('data-labels-not-attempted');
  }

  function statuses(items, attempt) {
    items.forEach(function (item) {
      known[item.id] = item;
      if (!contents) {
        return;
      }
      var entry = contents.querySelector('li[data-item="' + Number(item.id) + '"]');
      if (entry) {
        entry.setAttribute('data-completion', item.completion || '');
        entry.setAttribute('data-success', item.success || '');
        var text = entry.querySelector('.sco-status');
        if (text) {
          text.textContent = label(item.completion, item.success);
        }
      }
    });
    var all = Object.keys(known).map(function (id) { return known[id]; });
    if (contents) {
      // Every SCO in the table, with what the server said last where it has said something.
      all = Array.prototype.map.call(contents.querySelectorAll('li[data-href]'), function (li) {
        return {completion: li.getAttribute('data-completion'), success: li.getAttribute('data-success')};
      });
    }
    // The server's word on the attempt where it gave one; else as the statuses roll up by default.
    var failed = attempt ? attempt === 'FAILED' : all.some(function (i) { return i.success === 'failed'; });
    var done = attempt ? attempt !== 'OPEN'
      : all.length > 0 && all.every(function (i) { return i.completion === 'completed'; });
    if (done) {
      say(status, failed ? status.getAttribute('data-failed') : status.getAttribute('data-done'), 'notice');
    }
  }

  function go(href) {
    if (href) {
      window.location.assign(href);
    }
  }

  function navigate(request) {
    if (!request || request === '_none_') {
      return;
    }
    var next = document.getElementById('spelare-nasta');
    var previous = document.getElementById('spelare-foregaende');
    var choice = /^\{target=([^}]+)\}(choice|jump)$/.exec(request);
    if (request === 'continue') {
      go(next && next.getAttribute('href'));
    } else if (request === 'previous') {
      go(previous && previous.getAttribute('href'));
    } else if (choice && contents) {
      var target = Array.prototype.find.call(contents.querySelectorAll('li[data-href]'), function (li) {
        return li.getAttribute('data-identifier') === choice[1];
      });
      go(target && target.getAttribute('data-href'));
    } else if (request === 'exitAll' || request === 'suspendAll' || request === 'exit' || request === 'abandonAll') {
      go(frame.getAttribute('data-module'));
    }
  }

  window.addEventListener('message', function (event) {
    if (event.origin !== packageOrigin || event.source !== frame.contentWindow) {
      return;
    }
    var message = event.data || {};
    if (message.type === 'scorm-status' && Array.isArray(message.items)) {
      statuses(message.items, message.attempt);
    } else if (message.type === 'scorm-connection') {
      if (message.ok === false) {
        lostShown = true;
        say(alert, alert.getAttribute('data-lost'), 'alert');
      } else if (lostShown) {
        lostShown = false;
        say(alert, '', '');
        say(status, status.getAttribute('data-back'), 'notice');
      }
    } else if (message.type === 'scorm-terminated') {
      navigate(message.navRequest);
    }
  });
}());
