// The main menu folds away behind a "Meny" button on narrow screens (the CSS shows it open from 48rem). Without this
// script the button stays hidden and the menu open, so nothing depends on it.
document.querySelectorAll('.menu-button').forEach(function (button) {
  var list = document.getElementById(button.getAttribute('aria-controls'));
  if (!list) {
    return;
  }
  list.classList.add('collapsible');
  button.hidden = false;
  button.addEventListener('click', function () {
    var open = button.getAttribute('aria-expanded') !== 'true';
    button.setAttribute('aria-expanded', String(open));
    list.classList.toggle('open', open);
  });
});
