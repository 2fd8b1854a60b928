// Service view: health per region with every signal (latest observation, last transition), a latency and status
// chart per region, the explanation in words, the workflow in flight and past ones as step timelines, the
// what-if plan for each move, and the actions.
import * as api from "./api.js";
import { h, s, clear, fill, localTime, time, duration, badge, errorBox } from "./dom.js";
import { overrideForm, moveForm, confirmAction, roleBlock } from "./actions.js";
import { refresh } from "./app.js";

export class ServiceView {
  constructor(main, id, state) {
    this.id = id;
    this.title = id;
    this.loading = false;
    this.lastLoad = 0;
    this.actionKey = null;
    this.root = h("section", { className: "service-view", "aria-labelledby": "service-title" });
    this.head = h("div", { className: "view-head" });
    this.message = h("div");
    this.regions = h("div", { className: "regions" });
    this.explain = h("section", { className: "panel explain", "aria-labelledby": "explain-title" });
    this.workflows = h("section", { className: "panel workflows", "aria-labelledby": "workflows-title" });
    this.whatIf = h("section", { className: "panel whatif", "aria-labelledby": "whatif-title" });
    this.actions = h("section", { className: "panel actions", "aria-labelledby": "actions-title" });
    this.root.append(
      h("p", { className: "crumbs" }, h("a", { href: "#/" }, "← All services")),
      this.head, this.message,
      h("div", { className: "columns" },
        h("div", { className: "col-main" }, this.regions, this.workflows),
        h("div", { className: "col-side" }, this.explain, this.actions, this.whatIf)));
    main.append(this.root);
  }

  update(state) {
    this.state = state;
    if (!state.role) {
      fill(this.message, h("p", { className: "muted" }, "Sign in to see a service in detail."));
      return;
    }
    const summary = state.services?.find((x) => x.id === this.id);
    if (summary) this.renderActions(summary, state);
    if (Date.now() - this.lastLoad > 2500) this.load(state);
  }

  onEvent(event) {
    if (event.scope === `service:${this.id}` || event.scope === "global") this.lastLoad = 0;
  }

  async load(state) {
    if (this.loading) return;
    this.loading = true;
    this.lastLoad = Date.now();
    const base = `/api/v1/services/${api.enc(this.id)}`;
    try {
      const [service, observations, explanation, workflows] = await Promise.all([
        api.get(base), api.get(`${base}/observations?limit=60`), api.get(`${base}/explain`), api.get(`${base}/workflows?limit=5`),
      ]);
      const others = service.regions.filter((r) => !(r.receives_traffic && service.active_region === r.region));
      const plans = await Promise.all(others.map((r) =>
        api.get(`${base}/what-if?target_region=${api.enc(r.region)}`).catch((error) => ({ target_region: r.region, error }))));
      clear(this.message);
      this.renderHead(service);
      this.renderRegions(service, observations);
      this.renderExplain(explanation);
      this.renderWorkflows(workflows.workflows);
      this.renderWhatIf(plans);
    } catch (error) {
      fill(this.message, errorBox(error));
    } finally {
      this.loading = false;
    }
  }

  renderHead(service) {
    fill(this.head, 
      h("h1", { id: "service-title" }, service.id, " ", badge(service.health)),
      h("p", { className: "facts" },
        h("span", {}, "Traffic: ", h("strong", { id: "active-region" }, service.active_region || service.regions.filter((r) => r.receives_traffic).map((r) => `${r.region} ${r.weight}%`).join(", ") || "none")),
        h("span", {}, "Primary: ", h("strong", {}, service.primary_region)),
        h("span", {}, "Routing: ", service.routing_mode),
        h("span", {}, `DNS: ${service.dns_name} (${service.record_type}, TTL ${service.ttl} s)`)));
  }

  renderRegions(service, history) {
    clear(this.regions);
    for (const region of service.regions) {
      const signals = history.signals.filter((x) => x.region === region.region);
      const card = h("section", { className: `panel region-card${region.receives_traffic ? " region-active" : ""}`, "aria-label": `${region.region}` },
        h("h2", {}, region.region, " ", badge(region.health.status),
          region.receives_traffic ? h("span", { className: "traffic traffic-on" }, `▶ traffic ${region.weight}%`) : h("span", { className: "traffic traffic-off" }, "no traffic"),
          region.primary ? h("span", { className: "tag" }, "primary") : null),
        h("p", { className: "reason" }, region.health.reason, region.health.since ? [" · since ", time(region.health.since)] : null),
        chart(signals),
        signalTable(region.signals, signals));
      this.regions.append(card);
    }
  }

  renderExplain(explanation) {
    const automation = explanation.automation;
    const last = explanation.last_decision;
    fill(this.explain,
      h("h2", { id: "explain-title" }, "Why it is where it is"),
      h("p", { className: "summary", id: "explain-summary" }, explanation.summary || explanation.routing.summary),
      h("p", {}, h("strong", {}, "Automation now: "), outcomeWords(automation.outcome),
        automation.blocked_by ? ` (${automation.blocked_by})` : ""),
      last ? h("p", { className: "muted" }, "Last decision ", time(last.at), `: ${outcomeWords(last.outcome)}`, last.blocked_by ? ` (${last.blocked_by})` : "") : null,
      h("details", {}, h("summary", {}, "The decider's reasoning"), h("p", {}, automation.explanation),
        last && last.explanation !== automation.explanation ? h("p", { className: "muted" }, last.explanation) : null));
  }

  renderWorkflows(workflows) {
    // While someone types a reason for an approval, leave the panel alone unless the workflows changed.
    const key = JSON.stringify(workflows.map((w) => [w.id, w.state, w.steps.length]));
    const busy = [...this.workflows.querySelectorAll("input[name=approval-reason]")]
      .some((input) => input.value || document.activeElement === input);
    if (busy && key === this.workflowsKey) return;
    this.workflowsKey = key;
    // Keep a reason being typed for an approval across the re-render.
    const typed = new Map([...this.workflows.querySelectorAll("input[name=approval-reason]")]
      .map((input) => [input.closest("[data-workflow]")?.dataset.workflow, { value: input.value, focused: document.activeElement === input }]));
    fill(this.workflows, h("h2", { id: "workflows-title" }, "Workflows"));
    if (!workflows.length) { this.workflows.append(h("p", { className: "muted" }, "No workflow has run for this service yet.")); return; }
    const done = () => { this.lastLoad = 0; refresh(); };
    for (const w of workflows) this.workflows.append(workflowTimeline(w, this.state, done));
    for (const [id, kept] of typed) {
      const input = this.workflows.querySelector(`[data-workflow="${CSS.escape(id || "")}"] input[name=approval-reason]`);
      if (!input) continue;
      input.value = kept.value;
      if (kept.focused) input.focus();
    }
  }

  renderWhatIf(plans) {
    fill(this.whatIf, h("h2", { id: "whatif-title" }, "What if traffic moved?"));
    if (!plans.length) this.whatIf.append(h("p", { className: "muted" }, "There is no other region to move to."));
    for (const plan of plans) {
      if (plan.error) { this.whatIf.append(h("p", { className: "error" }, `${plan.target_region}: ${plan.error.message}`)); continue; }
      const p = plan.predicted_seconds;
      this.whatIf.append(h("div", { className: "plan" },
        h("h3", {}, `To ${plan.target_region}: `, plan.would_proceed ? h("span", { className: "ok" }, "✓ would proceed") : h("span", { className: "refused" }, "✕ would be refused")),
        h("p", {}, `Predicted time to traffic ${duration(p.total)}: detection ${duration(p.detection)} + propagation ${duration(p.propagation)} + TTL ${duration(p.ttl)}.`),
        plan.blocked_by.length ? h("p", {}, "Refused by: ", plan.blocked_by.join(", ")) : null,
        plan.runbook?.length ? h("ul", { className: "runbook-plan" }, plan.runbook.map((r) => h("li", {},
          `Runbook ${r.stage.replace(/_/g, " ")}: ${r.name} (${r.kind}) `,
          r.skip_reason ? h("span", { className: "muted" }, r.skip_reason) : `≤ ${duration(r.predicted_seconds)}`,
          r.note ? h("span", { className: "muted" }, ` · ${r.note}`) : null))) : null,
        plan.dns_changes.length ? h("ul", { className: "dns" }, plan.dns_changes.map((c) => h("li", {}, `${c.action} ${c.name} ${c.type} → ${c.values.join(", ")}${c.weight !== null && c.weight !== undefined ? ` (weight ${c.weight})` : ""}`))) : null));
    }
  }

  renderActions(summary, state) {
    const key = `${state.role}|${summary.workflow?.id || ""}|${summary.workflow?.step || ""}|${summary.active}|${summary.regions.map((r) => r.traffic).join()}`;
    if (key === this.actionKey) return;
    this.actionKey = key;
    const done = () => { this.lastLoad = 0; refresh(); };
    const overrides = summary.overrides || [];
    fill(this.actions, 
      h("h2", { id: "actions-title" }, "Act"),
      h("h3", {}, "Move traffic"), moveForm(summary, state, done),
      h("h3", {}, "Override"), overrideForm(summary, state, done),
      overrides.length ? h("p", { className: "muted" }, `${overrides.length} override(s) in force: see the banner above to clear one.`) : null);
  }
}

function outcomeWords(outcome) {
  return { no_action: "no action", initiate: "would move traffic", blocked: "would be blocked", health_check_error: "cannot read health", rejected: "rejected" }[outcome] || outcome;
}

function signalTable(signals, history) {
  const since = new Map(history.map((x) => [x.id, x.since]));
  return h("table", { className: "signals" },
    h("caption", { className: "visually-hidden" }, "Signals"),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Signal"), h("th", { scope: "col" }, "Verdict"), h("th", { scope: "col" }, "Latest observation"), h("th", { scope: "col" }, "Changed"))),
    h("tbody", {}, signals.map((signal) => {
      const o = signal.last_observation;
      return h("tr", {},
        h("th", { scope: "row", title: signal.id }, h("span", { className: "signal-id" }, signal.id.replace(/ \([^()]*\)$/, "")), h("span", { className: "muted signal-kind" }, `${signal.kind} · ${signal.scope === "region" ? "region-wide" : "service"}`)),
        h("td", {}, badge(signal.verdict), signal.consecutive_failures ? h("span", { className: "muted" }, ` ${signal.consecutive_failures} failing`) : null),
        h("td", {}, o ? [o.status, o.latency_ms !== null ? ` · ${o.latency_ms.toFixed(1)} ms` : "", ` · ${o.reason} · `, time(o.at)] : h("span", { className: "muted" }, "none yet")),
        h("td", {}, time(since.get(signal.id))));
    })));
}

const STATUS_Y = { healthy: 0, degraded: 1, unknown: 2, unhealthy: 3 };

/** Latency line and a status strip over the recent observations of a region's signals. */
function chart(signals) {
  const width = 600;
  const height = 120;
  const strip = 14;
  const points = signals.flatMap((sig) => sig.observations.map((o) => ({ ...o, t: Date.parse(o.at), signal: sig.id })));
  if (!points.length) return h("p", { className: "muted" }, "No observations recorded yet.");
  const t0 = Math.min(...points.map((p) => p.t));
  const t1 = Math.max(...points.map((p) => p.t), t0 + 1000);
  const latencies = points.map((p) => p.latency_ms).filter((x) => x !== null && x !== undefined);
  const max = Math.max(1, ...latencies) * 1.15;
  const x = (t) => ((t - t0) / (t1 - t0)) * (width - 40) + 36;
  const y = (ms) => height - strip - 6 - (ms / max) * (height - strip - 16);
  const svg = s("svg", { viewBox: `0 0 ${width} ${height}`, class: "chart", role: "img", "aria-label": `Latency and status over the last ${duration((t1 - t0) / 1000)}: ${latencies.length ? `latest ${latencies[0].toFixed(1)} ms, highest ${Math.max(...latencies).toFixed(1)} ms` : "no latency"}` });
  svg.append(
    s("text", { x: 2, y: 12, class: "axis" }, `${Math.round(max)} ms`),
    s("text", { x: 2, y: height - strip - 4, class: "axis" }, "0"),
    s("line", { x1: 36, x2: width - 4, y1: height - strip - 6, y2: height - strip - 6, class: "gridline" }));
  for (const sig of signals) {
    const series = sig.observations.filter((o) => o.latency_ms !== null && o.latency_ms !== undefined).map((o) => [x(Date.parse(o.at)), y(o.latency_ms)]).reverse();
    if (series.length > 1) svg.append(s("polyline", { points: series.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join(" "), class: "latency" }));
    for (const o of sig.observations) {
      const cx = x(Date.parse(o.at));
      svg.append(s("rect", { x: (cx - 2).toFixed(1), y: height - strip, width: 4, height: strip, class: `status status-${o.status}` },
        s("title", {}, `${new Date(o.at).toLocaleTimeString()}: ${o.status}${o.latency_ms !== null ? `, ${o.latency_ms} ms` : ""} — ${o.reason}`)));
    }
  }
  const worstBad = points.filter((p) => p.status === "unhealthy").length;
  return h("figure", { className: "chart-box" }, svg,
    h("figcaption", { className: "muted" }, `Latency (line) and status (strip) of the last ${points.length} observations, ${duration((t1 - t0) / 1000)}`, worstBad ? ` · ${worstBad} unhealthy` : ""));
}

/**
 * Journal entries folded into one row per step attempt: started → finished / failed / retrying, with the time it
 * took (still running: until now).
 */
function stepRows(steps, end) {
  const rows = [];
  const open = new Map();
  for (const entry of steps) {
    const key = `${entry.step}#${entry.attempt ?? ""}`;
    // A runbook checkpoint (counts recorded, approval asked or decided) belongs to the attempt still open.
    if (entry.phase === "progress" && open.has(key)) { open.get(key).detail = entry.detail; continue; }
    if (entry.phase === "started") {
      const row = { step: entry.step, attempt: entry.attempt, start: entry.at, end: null, outcome: "running", detail: null };
      open.set(key, row);
      rows.push(row);
      continue;
    }
    let row = open.get(key);
    if (!row) {
      row = { step: entry.step, attempt: entry.attempt, start: entry.at, end: null, outcome: "running", detail: null };
      rows.push(row);
    }
    row.end = entry.at;
    row.outcome = entry.phase;
    row.detail = entry.detail;
    open.delete(key);
  }
  for (const row of rows) row.seconds = ((row.end ? Date.parse(row.end) : end) - Date.parse(row.start)) / 1000;
  return rows;
}

const OUTCOME = { finished: "✓ done", failed: "✕ failed", retrying: "↻ retrying", running: "⟳ running" };

const RUNBOOK_OUTCOME = {
  pending: "… pending", running: "⟳ running", pending_approval: "⏸ waiting for approval", succeeded: "✓ done",
  failed: "✕ failed", skipped: "⤼ skipped", continued: "⚠ failed, continued",
};

/** The runbook steps of a workflow with attempts, durations and outcomes; a waiting approval gets its buttons. */
function runbookList(w, state, onDone) {
  if (!w.runbook?.length) return null;
  return h("section", { className: "runbook", "aria-label": "Runbook steps" },
    h("h4", {}, "Runbook"),
    h("ul", { className: "runbook-steps" }, w.runbook.map((r) => h("li", { className: `runbook-step runbook-${r.outcome}`, dataset: { step: r.step } },
      h("span", { className: "step-name" }, r.name), " ",
      h("span", { className: "muted" }, `${r.stage.replace(/_/g, " ")} · ${r.kind}`), " ",
      h("span", { className: `step-outcome outcome-${r.outcome}` }, RUNBOOK_OUTCOME[r.outcome] || r.outcome), " ",
      r.attempts ? h("span", { className: "muted" }, `${r.attempts} attempt${r.attempts === 1 ? "" : "s"}`) : null, " ",
      r.duration_seconds !== null && r.duration_seconds !== undefined ? h("span", { className: "step-duration" }, duration(r.duration_seconds)) : null,
      r.detail ? h("div", { className: "step-detail muted" }, r.detail) : null,
      r.outcome === "pending_approval" ? approvalControls(w, r, state, onDone) : null))));
}

/** Approve / Reject for a waiting approval: a reason, then a confirmation that says what happens next. */
function approvalControls(w, r, state, onDone) {
  const blocked = roleBlock(state || {});
  const reason = h("input", { type: "text", name: "approval-reason", maxLength: 1000, required: true, placeholder: "Why? (recorded in the audit log)", "aria-label": "Reason for the decision", disabled: !!blocked });
  const decide = (decision) => {
    if (!reason.value.trim()) { reason.setCustomValidity("Give a reason: it is recorded with the decision."); reason.reportValidity(); return; }
    reason.setCustomValidity("");
    const body = { decision, reason: reason.value.trim() };
    confirmAction({
      title: decision === "approve" ? "Confirm approval" : "Confirm rejection",
      effect: decision === "approve"
        ? `Workflow ${w.id} goes on past “${r.name}” and moves ${w.service}'s traffic as planned.`
        : `Workflow ${w.id} stops at “${r.name}” with your reason; ${w.service}'s traffic stays where it is.`,
      notes: [`Question: “${r.approval_message}”.`, `Reason: “${body.reason}”.`],
      confirmLabel: decision === "approve" ? "Approve" : "Reject",
      danger: decision === "reject",
      perform: () => api.send("POST", `/api/v1/workflows/${api.enc(w.id)}/approval`, body),
      onDone: () => { reason.value = ""; onDone?.(); },
    });
  };
  return h("div", { className: "approval" },
    h("p", {}, h("strong", {}, "Approval needed: "), r.approval_message,
      r.approval_deadline ? [" · decided by default at ", time(r.approval_deadline)] : null),
    reason,
    h("button", { type: "button", className: "primary", id: `approve-${w.id}`, disabled: !!blocked, onclick: () => decide("approve") }, "Approve…"), " ",
    h("button", { type: "button", className: "danger", id: `reject-${w.id}`, disabled: !!blocked, onclick: () => decide("reject") }, "Reject…"),
    blocked ? h("p", { className: "disabled-reason" }, blocked) : null);
}

/** A workflow as a step timeline (one row per step attempt) with durations and outcome. */
export function workflowTimeline(w, state, onDone) {
  const plan = w.plan;
  const from = plan.from.active_region || plan.from.summary;
  const to = plan.to.active_region || plan.to.summary;
  const end = w.finished_at ? Date.parse(w.finished_at) : Date.now();
  const items = stepRows(w.steps || [], end).map((row) =>
    h("li", { className: `step phase-${row.outcome}` },
      h("span", { className: "step-dot", "aria-hidden": "true" }),
      h("span", { className: "step-name" }, row.step),
      row.attempt > 1 ? h("span", { className: "muted" }, ` attempt ${row.attempt}`) : null, " ",
      h("span", { className: `step-outcome outcome-${row.outcome}` }, OUTCOME[row.outcome] || row.outcome), " ",
      h("span", { className: "step-duration" }, duration(row.seconds)), " ",
      h("span", { className: "muted" }, "at "), time(row.start),
      row.detail ? h("div", { className: "step-detail muted" }, row.detail) : null));
  const stateWord = { running: "⟳ running", pending_approval: "⏸ waiting for approval", succeeded: "✓ succeeded", failed: "✕ failed", interrupted: "⚠ interrupted" }[w.state] || w.state;
  const timings = Object.entries(w.timings || {}).map(([k, v]) => `${k.replace(/_/g, " ")} ${duration(v)}`).join(" · ");
  return h("article", { className: `workflow workflow-${w.state}`, dataset: { workflow: w.id } },
    h("h3", {}, h("span", { className: `outcome outcome-${w.state}` }, stateWord), ` ${plan.trigger}: ${from} → ${to}`),
    h("p", { className: "muted" }, `By ${plan.actor} · “${plan.reason}” · started `, time(w.started_at),
      w.finished_at ? [" · took ", duration((Date.parse(w.finished_at) - Date.parse(w.started_at)) / 1000)] : null),
    w.reason ? h("p", { className: "error" }, w.reason) : null,
    runbookList(w, state, onDone),
    h("ol", { className: "timeline" }, items),
    timings ? h("p", { className: "muted timings" }, `From the first unhealthy observation: ${timings}`) : null);
}
