// Acting safely: overrides and manual moves, each with a required reason, a confirmation that says the effect in
// words and the safety rules that would refuse it (from what-if), and the API's problem detail when refused.
import * as api from "./api.js";
import { h, clear, fill, localTime, time, duration } from "./dom.js";

const dialog = () => document.getElementById("dialog");

export const DURATIONS = [
  [900, "15 minutes"], [1800, "30 minutes"], [3600, "1 hour"], [7200, "2 hours"], [14400, "4 hours"],
  [28800, "8 hours"], [86400, "24 hours"], [259200, "72 hours"],
];

let fieldCounter = 0;
function field(label, control, help) {
  const id = control.id || `f${++fieldCounter}`;
  control.id = id;
  const helpNode = help ? h("span", { className: "help", id: `${id}-help` }, help) : null;
  if (helpNode) control.setAttribute("aria-describedby", helpNode.id);
  return h("div", { className: "field" }, h("label", { htmlFor: id }, label), control, helpNode);
}

function durationWords(seconds) {
  return DURATIONS.find(([s]) => s === seconds)?.[1] || duration(seconds);
}

/**
 * Opens the confirmation: `effect` in words, the rules that would refuse it, and Confirm / Cancel. `perform`
 * runs on confirm; its APIError's detail is shown in the dialog and the dialog stays open.
 */
export function confirmAction({ title, effect, rules = [], notes = [], confirmLabel, danger = false, perform, onDone }) {
  const d = dialog();
  const errorArea = h("div", { className: "dialog-error", role: "alert", id: "dialog-error" });
  const confirm = h("button", { type: "submit", className: danger ? "danger" : "primary", id: "dialog-confirm" }, confirmLabel);
  const cancel = h("button", { type: "button", className: "quiet", id: "dialog-cancel", onclick: () => d.close() }, "Cancel");
  const form = h("form", { method: "dialog", className: "dialog-body" },
    h("h2", { id: "dialog-title" }, title),
    h("p", { className: "effect", id: "dialog-effect" }, effect),
    notes.map((n) => h("p", { className: "muted" }, n)),
    rules.length
      ? h("div", { className: "rules", id: "dialog-rules" },
        h("p", {}, h("strong", {}, "⚠ These would refuse it now:")),
        h("ul", {}, rules.map((r) => h("li", {}, r))))
      : h("p", { className: "rules-ok", id: "dialog-rules" }, "✓ No safety rule would refuse it now."),
    errorArea,
    h("div", { className: "buttons" }, cancel, confirm));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    confirm.disabled = true;
    clear(errorArea);
    try {
      await perform();
      d.close();
      onDone?.();
    } catch (error) {
      errorArea.append(h("p", { className: "error" }, error.message));
      confirm.disabled = false;
    }
  });
  fill(d, form);
  d.showModal();
  cancel.focus();
}

function describeRule(rule) {
  const words = {
    "rule:neverRouteToUnhealthyTarget": "The target is not healthy (neverRouteToUnhealthyTarget).",
    "rule:atLeastOneRegionReceivesTraffic": "No region would receive traffic (atLeastOneRegionReceivesTraffic).",
    "rule:minimumDwell": "Traffic moved too recently (minimumDwell).",
    "rule:automaticFailoverBrake": "Too many automatic failovers this hour (automaticFailoverBrake).",
    "rule:manualFailback": "Failback is manual for this service (manualFailback).",
  };
  return words[rule] || rule.replace(/^override:/, "Override ");
}

async function whatIf(service, target) {
  try {
    return await api.get(`/api/v1/services/${api.enc(service)}/what-if?target_region=${api.enc(target)}`);
  } catch (error) {
    return { error };
  }
}

function planNotes(plan) {
  if (!plan || plan.error) return plan?.error ? [`What-if could not be read: ${plan.error.message}`] : [];
  const p = plan.predicted_seconds;
  return [`Predicted time to traffic: ${duration(p.total)} (detection ${duration(p.detection)} + propagation ${duration(p.propagation)} + TTL ${duration(p.ttl)}).`];
}

/** Why move and override controls are disabled, or null when they may be used. */
export function roleBlock(state) {
  if (!state.role) return "Sign in with an operator token to act.";
  if (state.role === "viewer") return "Needs the operator role: your token is a viewer token (read only).";
  return null;
}

/** The override form for one service. */
export function overrideForm(service, state, onDone) {
  const blocked = roleBlock(state);
  const regions = service.regions.map((r) => r.region);
  const kind = h("select", { name: "kind" },
    h("option", { value: "freeze" }, "Freeze automation (no automatic moves)"),
    h("option", { value: "block" }, "Block failover"),
    h("option", { value: "drain" }, "Drain a region (send it no traffic)"),
    h("option", { value: "force" }, "Force traffic to a region"));
  const region = h("select", { name: "region" }, regions.map((r) => h("option", { value: r }, r)));
  const scope = h("select", { name: "scope" },
    h("option", { value: `service:${service.id}` }, `This service (${service.id})`),
    h("option", { value: "global" }, "Every service (global)"));
  const expiry = h("select", { name: "expiry" }, DURATIONS.map(([s, label]) => h("option", { value: s, selected: s === 3600 }, label)));
  const until = h("span", { className: "help" });
  const reason = h("input", { type: "text", name: "reason", required: true, maxLength: 1000, placeholder: "Why? (recorded in the audit log)" });
  const submit = h("button", { type: "submit", className: "primary", disabled: !!blocked }, "Review override…");
  const regionField = field("Region", region);
  const scopeField = field("Applies to", scope);
  const updateFields = () => {
    regionField.hidden = !["drain", "force"].includes(kind.value);
    scopeField.hidden = kind.value === "force";
    until.textContent = `Ends ${localTime(new Date(Date.now() + Number(expiry.value) * 1000).toISOString())}`;
  };
  kind.addEventListener("change", updateFields);
  expiry.addEventListener("change", updateFields);
  const form = h("form", { className: "action-form", id: "override-form", "aria-label": "Set an override" },
    field("Override", kind), regionField, scopeField,
    h("div", { className: "field" }, h("label", { htmlFor: "override-expiry" }, "For"), expiry, until),
    field("Reason", reason, "Required."),
    h("div", { className: "buttons" }, submit),
    blocked ? h("p", { className: "disabled-reason", id: "override-disabled-reason" }, blocked) : null);
  expiry.id = "override-expiry";
  for (const control of [kind, region, scope, expiry, reason]) control.disabled = !!blocked;
  updateFields();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!reason.value.trim()) { reason.setCustomValidity("Give a reason: it is recorded with the override."); reason.reportValidity(); return; }
    reason.setCustomValidity("");
    const seconds = Number(expiry.value);
    const body = { kind: kind.value, reason: reason.value.trim(), duration_seconds: seconds };
    const where = scope.value === "global" ? "every service" : service.id;
    const span = durationWords(seconds);
    let effect;
    let target = null;
    if (kind.value === "force") {
      body.scope = `service:${service.id}`;
      body.target_region = region.value;
      target = region.value;
      effect = `All of ${service.id}'s traffic will go to ${region.value} for ${span}, whatever automation decides.`;
    } else if (kind.value === "drain") {
      body.scope = scope.value;
      body.target_region = region.value;
      target = regions.find((r) => r !== region.value) || null;
      effect = `${region.value} will stop receiving traffic for ${where} for ${span}.`;
    } else if (kind.value === "freeze") {
      body.scope = scope.value;
      effect = `Automation will not move traffic for ${where} for ${span}. People can still move it by hand.`;
    } else {
      body.scope = scope.value;
      effect = `Automatic failover of ${where} will be blocked for ${span}: if a region fails, traffic stays where it is.`;
    }
    const plan = target ? await whatIf(service.id, target) : null;
    confirmAction({
      title: "Confirm the override",
      effect,
      rules: (plan?.blocked_by || []).map(describeRule),
      notes: [`Ends ${localTime(new Date(Date.now() + seconds * 1000).toISOString())} unless cleared earlier. Reason: “${body.reason}”.`, ...(target ? planNotes(plan) : [])],
      confirmLabel: `Set ${kind.value}`,
      danger: kind.value === "drain" || kind.value === "force",
      perform: () => api.send("POST", "/api/v1/overrides", body),
      onDone: () => { reason.value = ""; onDone(); },
    });
  });
  return form;
}

/** Manual failover and failback for one service. */
export function moveForm(service, state, onDone) {
  const blockedByRole = roleBlock(state);
  const running = service.workflow
    ? `A workflow is moving ${service.id}'s traffic${service.workflow.step ? ` (now: ${service.workflow.step})` : ""}; moves are disabled until it finishes.`
    : null;
  const blocked = blockedByRole || running;
  const targets = service.regions.filter((r) => !(r.traffic && service.active === r.region)).map((r) => r.region);
  const target = h("select", { name: "target" }, targets.map((r) => h("option", { value: r }, `${r}${r === service.primary ? " (primary)" : ""}`)));
  const reason = h("input", { type: "text", name: "reason", required: true, maxLength: 1000, placeholder: "Why? (recorded in the audit log)" });
  const failover = h("button", { type: "submit", className: "danger", disabled: !!blocked || targets.length === 0, id: "failover-button", "aria-describedby": blocked ? "move-disabled-reason" : undefined }, "Review failover…");
  const failback = h("button", {
    type: "button", id: "failback-button", disabled: !!blocked || service.active === service.primary,
    title: service.active === service.primary ? "The primary already receives all traffic." : "",
    "aria-describedby": blocked ? "move-disabled-reason" : undefined,
  }, `Fail back to ${service.primary}…`);
  target.disabled = reason.disabled = !!blocked;
  const need = () => {
    if (reason.value.trim()) { reason.setCustomValidity(""); return true; }
    reason.setCustomValidity("Give a reason: it is recorded with the move.");
    reason.reportValidity();
    return false;
  };
  const review = async (to, isFailback) => {
    const plan = await whatIf(service.id, to);
    const from = service.regions.filter((r) => r.traffic).map((r) => r.region).join(" and ") || "no region";
    const body = { reason: reason.value.trim() };
    if (!isFailback) body.target_region = to;
    confirmAction({
      title: isFailback ? "Confirm failback" : "Confirm failover",
      effect: `All of ${service.id}'s traffic will move from ${from} to ${to} now.`,
      rules: (plan.blocked_by || []).map(describeRule),
      notes: [...planNotes(plan), `Reason: “${body.reason}”.`],
      confirmLabel: isFailback ? "Fail back now" : "Move traffic now",
      danger: true,
      perform: () => api.send("POST", `/api/v1/services/${api.enc(service.id)}/${isFailback ? "failback" : "failover"}`, body),
      onDone: () => { reason.value = ""; onDone(); },
    });
  };
  failback.addEventListener("click", () => { if (need()) review(service.primary, true); });
  const form = h("form", { className: "action-form", id: "move-form", "aria-label": "Move traffic" },
    field("Move all traffic to", target), field("Reason", reason, "Required."),
    h("div", { className: "buttons" }, failover, failback),
    blocked ? h("p", { className: "disabled-reason", id: "move-disabled-reason" }, blocked) : null);
  form.addEventListener("submit", (event) => { event.preventDefault(); if (need()) review(target.value, false); });
  return form;
}

/** Clears an override early, after a confirmation. */
export function clearOverride(o, onDone) {
  confirmAction({
    title: "Clear the override early?",
    effect: `The ${o.kind} on ${o.scope} set by ${o.actor} (“${o.reason}”) ends now instead of at ${localTime(o.expires_at)}.`,
    rules: [],
    notes: ["Automation resumes its normal decisions at the next tick."],
    confirmLabel: "Clear now",
    perform: () => api.send("DELETE", `/api/v1/overrides/${api.enc(o.id)}`),
    onDone,
  });
}

export { time };
