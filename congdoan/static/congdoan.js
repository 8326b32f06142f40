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
// The Vietnamese file picker (core.forms.FileInput): show the chosen file's name beside the button.
document.addEventListener("change", function (event) {
  var input = event.target;
  if (!input.matches("input.vi-file-input")) return;
  var name = input.closest(".vi-file") && input.closest(".vi-file").querySelector(".vi-file-name");
  if (!name) return;
  var files = Array.prototype.map.call(input.files || [], function (f) { return f.name; });
  name.textContent = files.length ? files.join(", ") : "Chưa chọn tệp";
});
