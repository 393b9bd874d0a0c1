/*
 * The SCORM API for a package's SCO, served on the package origin as /scorm-innehall/runtime.js and loaded by the runtime
 * frame page (/scorm-innehall/{token}/kor/{itemId}) before the SCO's own frame. It defines window.API (SCORM 1.2) or
 * window.API_1484_11 (SCORM 2004), where the SCO finds it by walking its parent frames.
 *
 * It keeps no SCORM rules of its own: every call goes to the server (POST anrop) with a synchronous request, so that the
 * data model, its types and its error codes are answered by the runtime in Java. Only GetLastError, GetErrorString and
 * GetDiagnostic are answered here, from the last answer and the edition's error table.
 *
 * A call whose answer is lost is sent again with the same sequence number (the server answers a repeated call from what
 * it stored, without applying it twice). Writes that still cannot be delivered are queued in order, retried in the
 * background and reported to the player page, which tells the learner; they are never dropped. While the page is being
 * closed (when browsers refuse synchronous requests) the calls not yet acknowledged are sent with fetch(keepalive) or
 * sendBeacon to anrop/sats.
 *
 * The frame talks to the player page (the main origin) only with postMessage to that exact origin.
 */
(function () {
  'use strict';

  var root = document.documentElement;
  var config = {
    endpoint: root.getAttribute('data-anrop'),
    batchEndpoint: root.getAttribute('data-anrop') + '/sats',
    item: Number(root.getAttribute('data-item')),
    edition: root.getAttribute('data-edition'),
    playerOrigin: root.getAttribute('data-player-origin')
  };

  // The edition's error strings as the Java runtime has them (ScormRuntimes.errorStrings), given by the frame page.
  var errorTable = JSON.parse(root.getAttribute('data-errors') || '{}');
  var GENERAL_EXCEPTION = 101;
  /** How often a call whose answer was lost is sent again at once before it is queued (reads: given up). */
  var IMMEDIATE_TRIES = 3;
  var RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 15000];

  var session = newSessionId();
  var seq = 0;
  var last = {error: 0, diagnostic: ''};
  /** Calls sent but not acknowledged, in order: each keeps its seq, so sending it again cannot apply it twice. */
  var pending = [];
  var retryTimer = null;
  var retries = 0;
  var dismissing = false;
  var beaconScheduled = false;
  var navRequest = null;
  /** Set when the browser refused a synchronous request: the page may be closing before its pagehide reached us. */
  var syncRefused = false;
  var reportedLost = false;

  function newSessionId() {
    if (window.crypto && typeof window.crypto.randomUUID === 'function') {
      return window.crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join('');
    return hex.slice(0, 8) + '-' + hex.slice(8, 12) + '-' + hex.slice(12, 16) + '-' + hex.slice(16, 20) + '-' + hex.slice(20);
  }

  function tell(message) {
    if (window.parent && window.parent !== window && config.playerOrigin) {
      message.item = config.item;
      window.parent.postMessage(message, config.playerOrigin);
    }
  }

  /** Sends one call and waits for its answer; null when no answer came (network, server error, or refused while closing). */
  function sendNow(call) {
    var xhr = new XMLHttpRequest();
    try {
      xhr.open('POST', config.endpoint, false);
      xhr.setRequestHeader('Content-Type', 'application/json');
      xhr.send(JSON.stringify(call));
    } catch (refused) {
      // Browsers refuse synchronous requests while a page is being closed, and throw on a lost connection.
      syncRefused = true;
      return null;
    }
    if (xhr.status !== 200) {
      return null;
    }
    try {
      return JSON.parse(xhr.responseText);
    } catch (notJson) {
      return null;
    }
  }

  function isWrite(method) {
    return method !== 'GetValue';
  }

  function answered(answer) {
    last = {error: Number(answer.error) || 0, diagnostic: answer.diagnostic || ''};
    back();
    if (answer.items) {
      tell({type: 'scorm-status', items: answer.items, attempt: answer.attempt || null});
    }
    return answer.value === undefined || answer.value === null ? '' : String(answer.value);
  }

  /** Sends what is queued, in order, as one batch; true when all of it was acknowledged. */
  function flushSync() {
    if (pending.length === 0) {
      return true;
    }
    var xhr = new XMLHttpRequest();
    try {
      xhr.open('POST', config.batchEndpoint, false);
      xhr.setRequestHeader('Content-Type', 'application/json');
      xhr.send(JSON.stringify(pending));
    } catch (refused) {
      return false;
    }
    if (xhr.status !== 200) {
      return false;
    }
    acknowledged(xhr.responseText, pending.slice());
    return true;
  }

  /** The batch is stored: its calls leave the queue (others queued meanwhile stay, in order). */
  function acknowledged(responseText, batch) {
    pending = pending.filter(function (queuedCall) { return batch.indexOf(queuedCall) < 0; });
    retries = 0;
    try {
      var answers = JSON.parse(responseText);
      var lastItems = null;
      var attempt = null;
      (Array.isArray(answers) ? answers : []).forEach(function (a) {
        if (a && a.items) {
          lastItems = a.items;
          attempt = a.attempt || attempt;
        }
      });
      if (lastItems) {
        tell({type: 'scorm-status', items: lastItems, attempt: attempt});
      }
    } catch (ignored) {
      // The calls were stored; the statuses come with the next answer.
    }
    if (pending.length === 0) {
      back();
    }
  }

  /** The learner is told when a call could not be delivered, and again when everything is delivered. */
  function lost() {
    reportedLost = true;
    tell({type: 'scorm-connection', ok: false, pending: pending.length});
  }

  function back() {
    if (reportedLost) {
      reportedLost = false;
      tell({type: 'scorm-connection', ok: true, pending: 0});
    }
  }

  function scheduleRetry() {
    if (retryTimer !== null || dismissing) {
      return;
    }
    var delay = RETRY_DELAYS_MS[Math.min(retries, RETRY_DELAYS_MS.length - 1)];
    retries++;
    retryTimer = window.setTimeout(function () {
      retryTimer = null;
      if (pending.length === 0) {
        return;
      }
      var batch = pending.slice();
      fetch(config.batchEndpoint, {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(batch)})
        .then(function (response) {
          if (!response.ok) {
            throw new Error('HTTP ' + response.status);
          }
          return response.text();
        })
        .then(function (text) {
          acknowledged(text, batch);
          // Calls queued while this batch was on its way go next.
          if (pending.length > 0) {
            scheduleRetry();
          }
        })
        .catch(function () {
          lost();
          scheduleRetry();
        });
    }, delay);
  }

  /**
   * While the page is closing: sends every call not yet acknowledged, after the SCO's handler that made them has
   * returned (a microtask), so that its SetValue, Commit and Terminate go together and in order. A later batch repeats
   * the earlier calls; the server skips those it has applied.
   */
  function scheduleBeacon() {
    if (beaconScheduled) {
      return;
    }
    beaconScheduled = true;
    Promise.resolve().then(function () {
      beaconScheduled = false;
      var body = JSON.stringify(pending);
      var sent = false;
      try {
        fetch(config.batchEndpoint, {method: 'POST', keepalive: true, headers: {'Content-Type': 'application/json'}, body: body})
          .catch(function () { /* nothing more can be done on a closed page */ });
        sent = true;
      } catch (tooLarge) {
        sent = false;
      }
      if (!sent && navigator.sendBeacon) {
        // A string goes as text/plain, which the endpoint accepts (a JSON Blob is refused by browsers for beacons).
        navigator.sendBeacon(config.batchEndpoint, body);
      }
    });
  }

  /** One API call, answered by the server. */
  function call(method, element, value) {
    var message = {item: config.item, session: session, seq: ++seq, method: method};
    if (element !== undefined && element !== null) {
      message.element = String(element);
    }
    if (value !== undefined && value !== null) {
      message.value = String(value);
    }
    if (method === 'SetValue' && message.element === 'adl.nav.request') {
      navRequest = message.value;
    }
    if (dismissing) {
      return queued(message);
    }
    // Queued writes go first, in order; a call is sent on its own only behind an empty queue.
    if (pending.length > 0 && !flushSync()) {
      return queued(message);
    }
    for (var attempt = 0; attempt < IMMEDIATE_TRIES; attempt++) {
      var answer = sendNow(message);
      if (answer) {
        return answered(answer);
      }
      if (dismissing) {
        break;
      }
    }
    return queued(message);
  }

  /**
   * A call that could not be delivered now. A write is kept and sent later; the SCO is told it succeeded, as it will be
   * applied in order (its own type errors then reach the record only, not the SCO). A read cannot wait: it answers "" with
   * a general exception.
   */
  function queued(message) {
    if (!isWrite(message.method)) {
      last = {error: GENERAL_EXCEPTION, diagnostic: 'Ingen kontakt med Kompetensmål just nu.'};
      lost();
      return '';
    }
    pending.push(message);
    last = {error: 0, diagnostic: ''};
    if (dismissing || syncRefused) {
      // Sent at once with keepalive in case the page is going; the retries below repeat it if it is not.
      scheduleBeacon();
    }
    if (!dismissing) {
      lost();
      scheduleRetry();
    }
    return 'true';
  }

  function lastError() {
    return String(last.error);
  }

  function errorString(code) {
    var text = errorTable[Number(code)];
    return text === undefined ? '' : text;
  }

  function diagnostic(code) {
    if (code === undefined || code === null || code === '' || Number(code) === last.error) {
      return last.diagnostic || errorString(last.error);
    }
    return errorString(code);
  }

  function terminate(method, parameter) {
    var result = call(method, null, parameter === undefined ? '' : parameter);
    if (result === 'true') {
      tell({type: 'scorm-terminated', navRequest: navRequest});
    }
    return result;
  }

  if (config.edition === '1.2') {
    window.API = {
      LMSInitialize: function (p) { return call('Initialize', null, p === undefined ? '' : p); },
      LMSFinish: function (p) { return terminate('Terminate', p); },
      LMSGetValue: function (e) { return call('GetValue', e === undefined ? '' : e); },
      LMSSetValue: function (e, v) { return call('SetValue', e === undefined ? '' : e, v === undefined ? '' : v); },
      LMSCommit: function (p) { return call('Commit', null, p === undefined ? '' : p); },
      LMSGetLastError: lastError,
      LMSGetErrorString: errorString,
      LMSGetDiagnostic: diagnostic
    };
  } else {
    window.API_1484_11 = {
      version: '1.0',
      Initialize: function (p) { return call('Initialize', null, p === undefined ? '' : p); },
      Terminate: function (p) { return terminate('Terminate', p); },
      GetValue: function (e) { return call('GetValue', e === undefined ? '' : e); },
      SetValue: function (e, v) { return call('SetValue', e === undefined ? '' : e, v === undefined ? '' : v); },
      Commit: function (p) { return call('Commit', null, p === undefined ? '' : p); },
      GetLastError: lastError,
      GetErrorString: errorString,
      GetDiagnostic: diagnostic
    };
  }

  // From here on synchronous requests are refused; what is left goes with keepalive/sendBeacon.
  window.addEventListener('pagehide', function () {
    dismissing = true;
    if (retryTimer !== null) {
      window.clearTimeout(retryTimer);
      retryTimer = null;
    }
    if (pending.length > 0) {
      scheduleBeacon();
    }
  });

  /* The SCO's frame fills the window; sized here, since the package origin's policy allows no inline style. */
  document.addEventListener('DOMContentLoaded', function () {
    var frame = document.getElementById('sco');
    document.documentElement.style.height = '100%';
    document.body.style.height = '100%';
    document.body.style.margin = '0';
    document.body.style.overflow = 'hidden';
    if (frame) {
      frame.style.border = '0';
      frame.style.width = '100%';
      frame.style.height = '100%';
      frame.style.display = 'block';
    }
    tell({type: 'scorm-ready'});
  });
}());
