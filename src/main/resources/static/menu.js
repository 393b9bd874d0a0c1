// The main menu folds away behind a "Meny" button on narrow screens (the CSS shows it open from 48rem). Without this
// script the button stays hidden and the menu open, so nothing depends on it. Escape closes the open menu.
document.querySelectorAll('.menu-button').forEach(function (button) {
  var list = document.getElementById(button.getAttribute('aria-controls'));
  if (!list) {
    return;
  }
  function show(open) {
    button.setAttribute('aria-expanded', String(open));
    list.classList.toggle('open', open);
  }
  list.classList.add('collapsible');
  button.hidden = false;
  button.addEventListener('click', function () {
    show(button.getAttribute('aria-expanded') !== 'true');
  });
  document.addEventListener('keydown', function (event) {
    if (event.key === 'Escape' && button.getAttribute('aria-expanded') === 'true') {
      show(false);
      button.focus();
    }
  });
});
