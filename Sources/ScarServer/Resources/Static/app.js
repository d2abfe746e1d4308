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

// --- Scar assessment: one count, three scores ---
// Zone counts whose scar type a scale item is defined by (data-feeds) fill that item as they are
// typed; a value the clinician typed or kept is theirs and is never overwritten, and an item that
// differs from the counts says so beside it. The pairs come from the server (ScarCountLinks).
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("assessment-form");
  if (!form) return;
  const whole = (v) => (/^\d+$/.test(v.trim()) ? parseInt(v, 10) : 0);
  const items = new Map();
  for (const zone of form.querySelectorAll("input[data-feeds]")) {
    const name = zone.dataset.feeds;
    if (!items.has(name)) items.set(name, { input: form.elements[name], zones: [] });
    items.get(name).zones.push(zone);
  }
  for (const [name, item] of items) {
    if (!item.input) continue;
    const sum = () => item.zones.reduce((total, zone) => total + whole(zone.value), 0);
    const warning = form.querySelector(`[data-disagree-for="${name}"]`);
    const check = () => {
      if (!warning) return;
      const entered = whole(item.input.value), counted = sum();
      warning.hidden = entered === counted;
      warning.textContent = entered === counted ? "" : `${entered} entered; the zone counts give ${counted}.`;
    };
    let typed = item.input.value.trim() !== "" && whole(item.input.value) !== sum();
    item.input.addEventListener("input", () => { typed = true; check(); });
    for (const zone of item.zones) {
      zone.addEventListener("input", () => {
        if (!typed) item.input.value = sum() > 0 ? String(sum()) : "";
        check();
      });
    }
    check();
  }
});

// Before-photos from the tablet's camera: the standard views in order, each with the patient's baseline
// photo of that view laid over the live picture (translucent) for lining up, each frame uploaded as that
// view through the one-photo form. Without a camera the multi-file upload above stays the way.
document.addEventListener("DOMContentLoaded", () => {
  const panel = document.getElementById("camera-capture");
  const start = document.getElementById("camera-start");
  if (!panel || !start || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  start.hidden = false;
  const views = JSON.parse(panel.dataset.views || "[]");
  const video = document.getElementById("camera-video");
  const overlay = document.getElementById("camera-baseline");
  const heading = document.getElementById("camera-view");
  const status = document.getElementById("camera-status");
  const baselines = {};
  let stream = null, index = 0, saved = 0;
  const show = () => {
    const view = views[index];
    heading.textContent = `View ${index + 1} of ${views.length}: ${view.label}`;
    const baseline = baselines[view.value];
    overlay.hidden = !baseline;
    if (baseline) overlay.src = baseline; else overlay.removeAttribute("src");
    status.textContent = baseline ? "Line the face up with the baseline photo, then capture." : "No baseline photo of this view yet: capture it as the first.";
  };
  const next = () => {
    index += 1;
    if (index < views.length) { show(); return; }
    stream.getTracks().forEach((t) => t.stop());
    status.textContent = `${saved} photo(s) saved.`;
    window.location.reload();
  };
  start.addEventListener("click", async () => {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "user" }, audio: false });
    } catch (e) {
      start.hidden = true;
      panel.hidden = false;
      heading.textContent = "The camera is not available: choose the photos with the file field above.";
      return;
    }
    video.srcObject = stream;
    try {
      const answer = await fetch(panel.dataset.photos, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      const items = answer.ok ? ((await answer.json()).items || []) : [];
      // Newest first: the last of each view is its baseline.
      for (const p of items) if (p.view) baselines[p.view] = p.imageURL;
    } catch (e) { /* no overlay, capture still works */ }
    start.hidden = true;
    panel.hidden = false;
    show();
  });
  document.getElementById("camera-skip").addEventListener("click", next);
  document.getElementById("camera-shoot").addEventListener("click", async () => {
    if (!video.videoWidth) { status.textContent = "The camera is still starting; try again."; return; }
    const canvas = document.createElement("canvas");
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext("2d").drawImage(video, 0, 0);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.92));
    // The batch form above carries the CSRF token, today's date and the way back to this chart.
    const batch = document.getElementById("photo-batch-form");
    const form = new FormData();
    for (const name of ["csrf", "capturedOn", "next"]) form.append(name, batch.querySelector(`input[name=${name}]`).value);
    form.append("view", views[index].value);
    form.append("photo", blob, `${views[index].value}.jpg`);
    status.textContent = "Saving…";
    const answer = await fetch(panel.dataset.upload, { method: "POST", body: form, credentials: "same-origin", redirect: "manual" });
    if (!(answer.ok || answer.type === "opaqueredirect")) { status.textContent = "The photo was not saved; capture it again."; return; }
    saved += 1;
    next();
  });
});

// --- Scar assessment: live scores ---
// Each scale's total as the clinician types (and as the zone counts fill items). Every point, weight,
// band and grade comes from the page (data-scoring, written from the ScarCore scale definitions);
// this script only adds up. A value the save would refuse shows no total ("—").
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("assessment-form");
  if (!form || !form.dataset.scoring) return;
  const scoring = JSON.parse(form.dataset.scoring);
  const value = (name) => (form.elements[name] ? form.elements[name].value.trim() : "");
  const count = (name) => {
    const v = value(name);
    if (v === "") return 0;
    return /^\d+$/.test(v) && parseInt(v, 10) <= scoring.maxCount ? parseInt(v, 10) : NaN;
  };
  const countFactor = (n, bands) => bands.reduce((f, b) => (n >= b.from ? b.factor : f), 0);
  const areaFactor = (a, bands) => bands.reduce((f, b) => ((b.includesThreshold ? a >= b.threshold : a > b.threshold) ? b.factor : f), 0);
  const area = () => {
    const v = value(scoring.gbQuantitative.areaField);
    if (v === "") return 0;
    return /^[0-9.]+$/.test(v) && isFinite(parseFloat(v)) ? parseFloat(v) : NaN;
  };
  const sum = (fields, bands) => fields.reduce((total, f) => total + f.points * countFactor(count(f.field), bands), 0);
  const valid = (fields) => fields.every((f) => !Number.isNaN(count(f.field)));
  const show = (id, text) => { const el = document.getElementById(id); if (el) el.textContent = text; };
  const answer = (name) => { const checked = form.querySelector(`input[name="${name}"]:checked`); return checked ? checked.value : null; };
  const update = () => {
    const q = scoring.gbQuantitative, e = scoring.ecca, g = scoring.gbQualitative;
    const a = area();
    show("gbq-live-total", valid(q.rows) && !Number.isNaN(a) ? String(sum(q.rows, q.countBands) + q.areaPoints * areaFactor(a, q.areaBands)) : "—");
    show("ecca-live-total", valid(e.items) ? String(sum(e.items, e.countBands)) : "—");
    const answers = g.fields.map(answer);
    const row = g.grades.find((r) => r.answers.every((v, i) => v === answers[i]));
    show("gbl-live-grade", row ? String(row.grade) : "—");
    show("gbl-live-level", row ? `(${row.level})` : "(answer all four)");
    for (const copy of form.querySelectorAll("[data-live-copy]")) copy.textContent = document.getElementById(copy.dataset.liveCopy).textContent;
  };
  show("gbq-live-maximum", String(scoring.gbQuantitative.maximum));
  show("ecca-live-maximum", String(scoring.ecca.maximum));
  for (const line of form.querySelectorAll(".live-score")) line.hidden = false;
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
});

// --- Session chart: a zone ticked after another takes that zone's passes, pattern and endpoint ---
// Only fields still as the page gave them are filled, never the depth (typed per zone, or from the
// plan); the clinician sees and can change every value before saving.
document.addEventListener("DOMContentLoaded", () => {
  const rows = document.getElementById("zone-rows");
  if (!rows) return;
  const technique = (row) => ["passes", "pattern", "endpoint"].map((f) => row.querySelector(`[name$=".${f}"]`)).filter(Boolean);
  const untouched = (el) => (el.tagName === "SELECT" ? [...el.options].every((o) => o.selected === o.defaultSelected) : el.value === "" && el.defaultValue === "");
  let last = null;
  for (const row of rows.querySelectorAll(".zone-row")) {
    const box = row.querySelector("input[type=checkbox][name$='.treated']");
    if (!box) continue;
    row.addEventListener("input", (e) => { if (e.target !== box && box.checked) last = row; });
    row.addEventListener("change", (e) => { if (e.target !== box && box.checked) last = row; });
    box.addEventListener("change", () => {
      if (!box.checked || !last || last === row || !last.querySelector("input[name$='.treated']").checked) return;
      const from = technique(last);
      technique(row).forEach((el, i) => { if (untouched(el) && from[i] && from[i].value !== "") el.value = from[i].value; });
      last = row;
    });
  }
});
