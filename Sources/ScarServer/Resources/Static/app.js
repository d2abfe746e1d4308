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

// --- Session charting (feature-charting) ---
document.addEventListener("DOMContentLoaded", () => {
  // Print buttons on the post-care sheet.
  for (const b of document.querySelectorAll("[data-print]")) b.addEventListener("click", () => window.print());
  // Drawn consent signature: canvas → PNG data URL in a hidden field. Typed name + checkbox
  // remain the signature when nothing is drawn or scripts are off.
  const pad = document.getElementById("signature-pad");
  const field = document.getElementById("signaturePng");
  if (!pad || !field || !pad.getContext) return;
  const ctx = pad.getContext("2d");
  ctx.lineWidth = 2.5; ctx.lineCap = "round"; ctx.strokeStyle = "#1b2a3a";
  let drawing = false, drawn = false;
  const point = (e) => { const r = pad.getBoundingClientRect(); return [(e.clientX - r.left) * pad.width / r.width, (e.clientY - r.top) * pad.height / r.height]; };
  pad.addEventListener("pointerdown", (e) => { drawing = true; pad.setPointerCapture(e.pointerId); const [x, y] = point(e); ctx.beginPath(); ctx.moveTo(x, y); });
  pad.addEventListener("pointermove", (e) => { if (!drawing) return; const [x, y] = point(e); ctx.lineTo(x, y); ctx.stroke(); drawn = true; });
  const stop = () => { drawing = false; };
  pad.addEventListener("pointerup", stop); pad.addEventListener("pointercancel", stop);
  const clear = document.getElementById("signature-clear");
  if (clear) clear.addEventListener("click", () => { ctx.clearRect(0, 0, pad.width, pad.height); drawn = false; field.value = ""; });
  pad.closest("form").addEventListener("submit", () => { field.value = drawn ? pad.toDataURL("image/png") : ""; });
});
