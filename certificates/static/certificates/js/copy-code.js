// Copy buttons beside a certificate's code or share link: shown only where the
// browser can copy; the button's data-copy names the input, data-copied its thanks.
document.querySelectorAll(".copy-button[hidden]").forEach(function (button) {
  if (!navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var input = document.getElementById(button.dataset.copy);
    var status = button.parentNode.querySelector(".copy-status");
    navigator.clipboard.writeText(input.value).then(function () {
      button.textContent = button.dataset.copied;
      // A button's new label is not read out; the status beside it is.
      if (status) status.textContent = button.dataset.copied;
    });
  });
});
