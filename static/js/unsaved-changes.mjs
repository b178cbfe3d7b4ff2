// Warns before leaving a page whose form (marked data-warn-unsaved) has unsaved changes.
const forms = document.querySelectorAll("form[data-warn-unsaved]");
let dirty = false;
let submitting = false;

for (const form of forms) {
  form.addEventListener("input", () => {
    dirty = true;
  });
  form.addEventListener("change", () => {
    dirty = true;
  });
  form.addEventListener("submit", () => {
    submitting = true;
  });
}

window.addEventListener("beforeunload", (event) => {
  if (dirty && !submitting) {
    event.preventDefault();
    // Older browsers show the dialog only when returnValue is set.
    event.returnValue = "";
  }
});
