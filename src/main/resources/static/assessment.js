// Saves each question's ticked options as soon as they change, so that nothing is lost if the session ends before
// the learner submits. Without script the form still works: everything is saved when it is submitted.
(function () {
  var form = document.querySelector('form[data-autosave]');
  if (!form) {
    return;
  }
  var status = document.getElementById('sparstatus');
  var token = form.querySelector('input[name=csrfToken]').value;

  function save(fieldset) {
    var body = new URLSearchParams();
    body.append('csrfToken', token);
    body.append('question', fieldset.getAttribute('data-question'));
    fieldset.querySelectorAll('input[type=checkbox]:checked').forEach(function (box) {
      body.append('option', box.value);
    });
    fetch(form.getAttribute('data-autosave'), {method: 'POST', body: body, credentials: 'same-origin', redirect: 'manual'})
      .then(function (response) {
        if (response.status !== 204) {
          throw new Error(String(response.status));
        }
        status.textContent = form.getAttribute('data-saved');
      })
      .catch(function () {
        status.textContent = form.getAttribute('data-save-failed');
        status.classList.add('warning');
      });
  }

  form.querySelectorAll('fieldset[data-question]').forEach(function (fieldset) {
    fieldset.addEventListener('change', function () {
      status.classList.remove('warning');
      save(fieldset);
    });
  });
})();
