// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the first invalid field so keyboard users land where the problem is.
  const invalid = document.querySelector("[aria-invalid=true]");
  if (invalid) invalid.focus();
  // Guard against double submission of forms (double-click on a slow network).
  for (const form of document.querySelectorAll("form[method=post]")) {
    form.addEventListener("submit", () => {
      for (const b of form.querySelectorAll("button[type=submit]")) b.disabled = true;
    });
  }
});
