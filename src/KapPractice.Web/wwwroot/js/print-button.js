// The print summary's Print button: hidden until this script runs, since it needs it; the browser's own
// Print command (the hint beside it) works without it.
for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
