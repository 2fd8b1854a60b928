// Drills: the schedules with their next occurrences, create / cancel / pause / abort with a reason and the same
// confirmation as overrides, and each run's report with its timeline (downloadable as JSON).
import * as api from "./api.js";
import { h, clear, fill, time, duration, errorBox } from "./dom.js";
import { confirmAction, roleBlock } from "./actions.js";

let counter = 0;
function field(label, control, help) {
  control.id = control.id || `drill-f${++counter}`;
  const helpNode = help ? h("span", { className: "help", id: `${control.id}-help` }, help) : null;
  if (helpNode) control.setAttribute("aria-describedby", helpNode.id);
  return h("div", { className: "field" }, h("label", { htmlFor: control.id }, label), control, helpNode);
}

function scheduleWords(d) {
  return d.schedule.cron ? `cron “${d.schedule.cron}” in ${d.schedule.time_zone}` : "once";
}

function occurrences(list) {
  if (!list?.length) return h("p", { className: "muted" }, "No occurrence left.");
  return h("ol", { className: "occurrences" },
    list.map((o) => h("li", {}, time(o.at), h("span", { className: "muted" }, ` (${o.local} ${o.time_zone})`))));
}

function download(run) {
  const blob = new Blob([JSON.stringify(run, null, 2)], { type: "application/json" });
  const link = h("a", { href: URL.createObjectURL(blob), download: `drill-run-${run.id}.json` });
  document.body.append(link);
  link.click();
  link.remove();
}

function report(run) {
  const recovery = run.moves.map((m) => m.failover?.recovery_seconds).filter((x) => x !== undefined);
  const objective = run.objective_met === undefined ? "not measured"
    : `${run.objective_met ? "met" : "missed"} (objective ${duration(run.objective_seconds)}${recovery.length ? `, measured ${recovery.map((s) => `${s.toFixed(2)} s`).join(", ")}` : ""})`;
  return h("details", { className: "drill-run", dataset: { run: run.id, state: run.state } },
    h("summary", {}, h("strong", {}, run.state.toUpperCase()), " ", time(run.started_at), ` — ${run.reason}`),
    h("p", {}, `Objective: ${objective}.`),
    run.aborted_by ? h("p", { className: "error" }, `Aborted by ${run.aborted_by.name} at `, time(run.aborted_by.at), `: ${run.aborted_by.detail}`) : null,
    h("ol", { className: "timeline" }, run.timeline.map((t) => h("li", {}, time(t.at), ` ${t.step}: ${t.detail}`))),
    run.steps_skipped_in_drills.length ? h("p", { className: "muted" }, `Steps skipped in drills: ${run.steps_skipped_in_drills.join(", ")}`) : null,
    h("button", { type: "button", className: "quiet", onclick: () => download(run) }, "Download report (JSON)"));
}

export class DrillsView {
  constructor(main, state) {
    this.title = "Drills";
    this.state = state;
    this.list = h("div", { id: "drill-list" }, h("p", { className: "muted" }, "Loading…"));
    this.formArea = h("div");
    main.append(h("section", { className: "drills-view", "aria-labelledby": "drills-title" },
      h("div", { className: "view-head" }, h("h1", { id: "drills-title" }, "Drills")),
      h("section", { className: "panel", "aria-labelledby": "drill-new-title" }, h("h2", { id: "drill-new-title" }, "Schedule a drill"), this.formArea),
      h("section", { className: "panel", "aria-labelledby": "drill-list-title" }, h("h2", { id: "drill-list-title" }, "Schedules and reports"), this.list)));
    this.formShown = false;
    this.load();
  }

  update(state) {
    this.state = state;
    if (!this.formShown && state.services) { this.formShown = true; fill(this.formArea, this.createForm()); }
  }

  async load() {
    if (!this.state.role) { fill(this.list, h("p", { className: "muted" }, "Sign in to see the drills.")); return; }
    try {
      const { drills } = await api.get("/api/v1/drills");
      const runs = await Promise.all(drills.map((d) => api.get(`/api/v1/drills/${api.enc(d.id)}/runs?limit=5`).then((r) => r.runs).catch(() => [])));
      fill(this.list, drills.length ? drills.map((d, i) => this.drillItem(d, runs[i])) : h("p", { className: "muted", id: "no-drills" }, "No drill is scheduled."));
    } catch (error) {
      fill(this.list, errorBox(error));
    }
  }

  drillItem(d, runs) {
    const blocked = roleBlock(this.state);
    const reason = h("input", { type: "text", name: "reason", maxLength: 1000, placeholder: "Why? (recorded in the audit log)", disabled: !!blocked, oninput: () => reason.setCustomValidity("") });
    const running = runs.some((r) => r.state === "running");
    const act = (action, effect, label, danger) => () => {
      if (!reason.value.trim()) { reason.setCustomValidity("Give a reason: it is recorded with the change."); reason.reportValidity(); return; }
      reason.setCustomValidity("");
      confirmAction({
        title: `Confirm: ${label.toLowerCase()}`, effect, notes: [`Reason: “${reason.value.trim()}”.`], confirmLabel: label, danger,
        perform: () => api.send("POST", `/api/v1/drills/${api.enc(d.id)}/${action}`, { reason: reason.value.trim() }),
        onDone: () => this.load(),
      });
    };
    const final = !["scheduled", "running"].includes(d.state);
    const buttons = [
      h("button", { type: "button", className: "danger", disabled: !!blocked || !running, onclick: act("abort", `The running drill of ${d.subject} fails back to where traffic was, now.`, "Abort drill", true) }, "Abort…"),
      h("button", { type: "button", disabled: !!blocked || final, onclick: act(d.paused ? "resume" : "pause", d.paused ? `The schedule resumes from its next occurrence.` : `Occurrences are skipped (and recorded) until the schedule is resumed.`, d.paused ? "Resume schedule" : "Pause schedule", false) }, d.paused ? "Resume…" : "Pause…"),
      h("button", { type: "button", disabled: !!blocked || final, onclick: act("cancel", `No further run of this drill starts (a running one goes on until it ends or is aborted).`, "Cancel drill", true) }, "Cancel…"),
    ];
    return h("article", { className: "drill", dataset: { drill: d.id, state: d.state } },
      h("h3", {}, `${d.mode === "live" ? "Live" : "Dry-run"} drill: ${d.subject} → ${d.target_region}`),
      h("p", {}, `${d.state}${d.paused ? " (paused)" : ""}: ${d.state_reason} Schedule: ${scheduleWords(d)}; hold ${duration(d.hold_seconds)}; objective ${duration(d.objective_seconds)}. By ${d.created_by}: “${d.reason}”.`),
      h("h4", {}, "Next occurrences"), occurrences(d.next_occurrences),
      h("form", { className: "action-form", onsubmit: (e) => e.preventDefault(), "aria-label": `Change drill ${d.id}` },
        field("Reason", reason, "Required for every change."), h("div", { className: "buttons" }, buttons),
        blocked ? h("p", { className: "disabled-reason" }, blocked) : null),
      h("h4", {}, "Reports"), runs.length ? runs.map(report) : h("p", { className: "muted" }, "No run yet."));
  }

  createForm() {
    const blocked = roleBlock(this.state);
    const services = this.state.services || [];
    const regions = [...new Set(services.flatMap((s) => s.regions.map((r) => r.region)))];
    const subject = h("select", { name: "subject" },
      services.map((s) => h("option", { value: `service:${s.id}` }, `Service ${s.id}`)),
      regions.map((r) => h("option", { value: `region:${r}` }, `Every service in region ${r}`)));
    const target = h("select", { name: "target" }, regions.map((r) => h("option", { value: r }, r)));
    if (regions.length > 1) target.value = regions[1];
    const mode = h("select", { name: "mode" }, h("option", { value: "dry-run" }, "Dry run (moves nothing)"), h("option", { value: "live" }, "Live (moves traffic, holds, fails back)"));
    const hold = h("input", { type: "number", name: "hold", min: 0, max: 86400, value: 600 });
    const objective = h("input", { type: "number", name: "objective", min: 1, max: 86400, value: 120 });
    const cron = h("input", { type: "text", name: "cron", placeholder: "0 10 * * TUE", maxLength: 200 });
    const zone = h("input", { type: "text", name: "zone", value: Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC", maxLength: 100 });
    const start = h("input", { type: "text", name: "start", placeholder: "2026-12-01T10:00:00+01:00", maxLength: 64 });
    const reason = h("input", { type: "text", name: "reason", maxLength: 1000, placeholder: "Why? (recorded in the audit log)", oninput: () => reason.setCustomValidity("") });
    const preview = h("div", { id: "drill-preview", "aria-live": "polite" });
    const body = () => {
      const b = { subject: subject.value, target_region: target.value, mode: mode.value, hold_seconds: Number(hold.value), objective_seconds: Number(objective.value), reason: reason.value.trim() };
      if (cron.value.trim()) { b.cron = cron.value.trim(); b.time_zone = zone.value.trim() || "UTC"; } else b.start_at = start.value.trim();
      return b;
    };
    const showPreview = async () => {
      const b = body();
      const query = b.cron ? `cron=${api.enc(b.cron)}&time_zone=${api.enc(b.time_zone)}` : `start_at=${api.enc(b.start_at || "")}`;
      try {
        fill(preview, h("h4", {}, "Next occurrences"), occurrences((await api.get(`/api/v1/drills/preview?${query}`)).occurrences));
        return true;
      } catch (error) {
        fill(preview, h("p", { className: "error", role: "alert" }, error.message));
        return false;
      }
    };
    const submit = h("button", { type: "submit", className: "primary", disabled: !!blocked, id: "drill-review" }, "Review drill…");
    const previewButton = h("button", { type: "button", disabled: !!blocked, id: "drill-preview-button", onclick: showPreview }, "Preview occurrences");
    for (const c of [subject, target, mode, hold, objective, cron, zone, start, reason]) c.disabled = !!blocked;
    const form = h("form", { className: "action-form", id: "drill-form", "aria-label": "Schedule a drill" },
      field("Moves", subject), field("To region", target), field("Mode", mode),
      field("Hold (seconds)", hold), field("Objective: recovery within (seconds)", objective),
      field("Cron (5 fields)", cron, "Leave empty for a single start."), field("Time zone (IANA)", zone),
      field("Or one start (RFC 3339 with offset)", start), field("Reason", reason, "Required."),
      preview, h("div", { className: "buttons" }, previewButton, submit),
      blocked ? h("p", { className: "disabled-reason", id: "drill-disabled-reason" }, blocked) : null);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!reason.value.trim()) { reason.setCustomValidity("Give a reason: it is recorded with the drill."); reason.reportValidity(); return; }
      reason.setCustomValidity("");
      if (!(await showPreview())) return;
      const b = body();
      const what = b.mode === "live"
        ? `${b.subject.replace(":", " ")}: all traffic moves to ${b.target_region} at each occurrence, stays ${duration(b.hold_seconds)}, then moves back.`
        : `${b.subject.replace(":", " ")}: a dry run records the plan, the checks and the predicted times at each occurrence; nothing moves.`;
      confirmAction({
        title: "Confirm the drill", effect: what,
        notes: [`Schedule: ${b.cron ? `cron “${b.cron}” in ${b.time_zone}` : `once at ${b.start_at}`}. Objective ${duration(b.objective_seconds)}. Reason: “${b.reason}”.`],
        confirmLabel: "Schedule drill", danger: b.mode === "live",
        perform: () => api.send("POST", "/api/v1/drills", b),
        onDone: () => { reason.value = ""; clear(preview); this.load(); },
      });
    });
    return form;
  }

  onEvent(event) { if (event.kind.startsWith("drill.")) this.load(); }
}
