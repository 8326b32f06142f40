// Behaviour the templates ask for with data attributes: the Content-Security-Policy forbids inline
// event handlers (onchange="..."), so they live here.
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches("select[data-submit-on-change]") && field.form) {
    field.form.submit();
  } else if (field.matches("select[data-go-on-change]") && field.value) {
    window.location = field.value;
  }
});
