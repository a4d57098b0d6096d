// Copy buttons for values shown once (new tokens, signing secrets). Without scripts the
// buttons stay hidden and the value can be selected by hand.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var done = function () {
        button.textContent = button.getAttribute("data-copied");
      };
      var bySelection = function () {
        field.select();
        if (document.execCommand("copy")) done();
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, bySelection);
      } else {
        bySelection();
      }
    });
  });
});
