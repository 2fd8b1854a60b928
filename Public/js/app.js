// The dashboard: session, shared state refreshed from the API and the event stream, banners, and the views.
import * as api from "./api.js";
import { h, clear, fill, localTime, time, relativeUntil, errorBox } from "./dom.js";
import { OverviewView } from "./overview.js";
import { ServiceView } from "./service.js";
import { EventsView } from "./events.js";
import { DrillsView } from "./drills.js";
import { ClusterView } from "./cluster.js";
import { readCluster, renderNodeStatus, degradedBanner } from "./node.js";
import { EventStream } from "./stream.js";
import { clearOverride } from "./actions.js";

const main = document.getElementById("main");
const session = document.getElementById("session");
const banners = document.getElementById("banners");
const indicator = document.getElementById("indicator");
const streamState = document.getElementById("stream-state");
const nodeStatus = document.getElementById("node-status");

/** What every view reads. */
export const state = {
  role: null, // viewer | operator | admin, null when signed out
  signInMessage: null,
  services: null, // normalized services (see normalize*)
  regions: [],
  overrides: [],
  status: null,
  ready: null,
  cluster: null, // GET /api/v1/cluster (signed in), read at most every 5 s (node.js)
  clusterError: null,
  error: null,
  events: [], // live events, oldest first
  publicStatus: false,
};

let view = null;
let stream = null;
let refreshTimer = null;
let refreshing = null;
let usableMarked = false;

function signedIn() {
  return !!state.role;
}

// ---- session ----

function renderSession() {
  clear(session);
  if (signedIn()) {
    session.append(
      h("span", { className: "role", title: "The role of the token you pasted" }, `${state.name} · ${state.role}`),
      h("button", { type: "button", className: "quiet", id: "sign-out", onclick: signOut }, "Sign out"),
    );
    return;
  }
  const input = h("input", {
    type: "password", id: "token", name: "token", required: true, spellcheck: false,
    placeholder: "Paste an API token", "aria-describedby": "token-help",
  });
  const form = h("form", { className: "sign-in", id: "sign-in", onsubmit: (event) => { event.preventDefault(); signIn(input.value.trim()); } },
    h("label", { htmlFor: "token", className: "token-label" }, "API token"),
    input,
    h("button", { type: "submit" }, "Sign in"),
    h("span", { id: "token-help", className: "visually-hidden" }, "Kept in this tab only (sessionStorage) and sent as a bearer header."),
  );
  session.append(form);
}

async function signIn(value) {
  if (!value) return;
  api.setToken(value);
  try {
    const who = await api.session();
    state.role = who.role;
    state.name = who.name;
    state.signInMessage = null;
  } catch (error) {
    api.setToken(null);
    state.role = null;
    state.signInMessage = error.status === 401
      ? `That token was not accepted: ${error.message} Check that you pasted the whole token.`
      : `Signing in failed: ${error.message}`;
  }
  afterSessionChange();
}

function signOut() {
  api.setToken(null);
  state.role = null;
  state.signInMessage = "Signed out. The token was removed from this tab.";
  afterSessionChange();
}

function afterSessionChange() {
  renderSession();
  stream?.stop();
  stream = null;
  state.events = [];
  if (signedIn()) startStream();
  else streamState.textContent = "";
  state.services = null;
  route();
  refresh();
}

// ---- data ----

function worst(statuses) {
  const rank = { healthy: 0, degraded: 1, unknown: 2, unhealthy: 3 };
  return statuses.reduce((a, b) => ((rank[b] ?? 2) > (rank[a] ?? 2) ? b : a), "healthy");
}

/** Services from GET /api/v1/services. */
function normalizeServices(services, workflows) {
  return services.map((service) => ({
    id: service.id,
    health: service.health,
    primary: service.primary_region,
    active: service.active_region,
    routingMode: service.routing_mode,
    regions: service.regions.map((r) => ({
      region: r.region, health: r.health.status, reason: r.health.reason, traffic: r.receives_traffic,
      primary: r.primary, weight: r.weight,
    })),
    workflow: service.workflow ? { ...service.workflow, step: workflows.get(service.workflow.id) } : null,
    overrides: service.overrides,
    detail: service,
  }));
}

/** Services from the public status document (signed out with public_status on). */
function normalizeStatus(doc) {
  const health = { operational: "healthy", degraded_performance: "degraded", partial_outage: "unhealthy", major_outage: "unhealthy" };
  return doc.services.map((service) => ({
    id: service.id,
    health: health[service.status] || worst(service.regions.filter((r) => r.receives_traffic).map((r) => r.health)),
    primary: service.primary_region,
    active: service.active_regions.length === 1 ? service.active_regions[0] : null,
    routingMode: service.routing_mode,
    regions: service.regions.map((r) => ({
      region: r.region, health: r.health, reason: "", traffic: r.receives_traffic, primary: r.primary,
    })),
    workflow: service.failover_in_progress ? { state: "running", step: null } : null,
    overrides: [],
  }));
}

/** The current step of each workflow in flight (the newest journaled step). */
async function currentSteps(services) {
  const steps = new Map();
  await Promise.all(services.filter((s) => s.workflow).map(async (s) => {
    try {
      const workflow = await api.get(`/api/v1/workflows/${api.enc(s.workflow.id)}`);
      const last = workflow.steps[workflow.steps.length - 1];
      steps.set(s.workflow.id, last ? `${last.step} (${last.phase})` : null);
    } catch { /* the workflow finished meanwhile */ }
  }));
  return steps;
}

/** Re-reads services, overrides, status and readiness, then updates banners and the view. */
export function refresh() {
  if (refreshing) return refreshing;
  refreshing = (async () => {
    const ready = fetch("/readyz", { cache: "no-cache" }).then((r) => r.json()).catch(() => null);
    // Not awaited: the header's role must not wait for the services, nor the services for the cluster.
    ready.then((r) => { state.ready = r; return readCluster(state, r); }).then((read) => { if (read) render(); });
    try {
      if (signedIn()) {
        const [list, overrides, status] = await Promise.all([
          api.get("/api/v1/services"), api.get("/api/v1/overrides"), api.get("/api/v1/status").catch(() => null),
        ]);
        const steps = await currentSteps(list.services);
        state.services = normalizeServices(list.services, steps);
        state.overrides = overrides.overrides;
        state.status = status;
      } else {
        try {
          const status = await api.get("/api/v1/status");
          state.status = status;
          state.services = normalizeStatus(status);
          state.overrides = status.overrides;
          state.publicStatus = true;
        } catch (error) {
          state.publicStatus = false;
          state.services = null;
          state.status = null;
          state.overrides = [];
          if (error.status !== 401) throw error;
        }
      }
      state.error = null;
    } catch (error) {
      state.error = error;
      if (error.status === 401 && signedIn()) {
        api.setToken(null);
        state.role = null;
        state.signInMessage = `Your token is no longer accepted: ${error.message}`;
        renderSession();
      }
    } finally {
      state.ready = await ready; // even when the API failed: it says why (a degraded node, a store that is down)
      refreshing = null;
    }
    render();
  })();
  return refreshing;
}

/** Refreshes soon (coalescing bursts of events). */
export function scheduleRefresh(delay = 150) {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(refresh, delay);
}

function render() {
  renderNodeStatus(nodeStatus, state);
  renderIndicator();
  renderBanners();
  view?.update(state);
  if (!usableMarked && (state.services || state.signInMessage || !signedIn())) {
    usableMarked = true;
    performance.mark("switchboard-usable");
    document.body.dataset.usable = "true";
  }
}

function renderIndicator() {
  const doc = state.status;
  clear(indicator);
  if (!doc) return;
  indicator.className = `indicator indicator-${doc.indicator}`;
  indicator.append(h("span", { className: "icon", "aria-hidden": "true" }, doc.indicator === "none" ? "●" : "▲"), doc.description);
}

function scopeWords(scope) {
  if (scope === "global") return "every service";
  const [kind, id] = [scope.slice(0, scope.indexOf(":")), scope.slice(scope.indexOf(":") + 1)];
  return kind === "region" ? `region ${id}` : id;
}

/** What an override does, in words. */
export function overrideWords(o) {
  const where = scopeWords(o.scope);
  switch (o.kind) {
    case "freeze": return `Automation frozen for ${where}: no automatic moves.`;
    case "block": return `Failover blocked for ${where}: automation will not move traffic.`;
    case "drain": return `Draining ${o.target_region || where}: it receives no traffic for ${where}.`;
    case "force": return `Traffic forced to ${o.target_region} for ${where}.`;
    default: return `${o.kind} on ${where}.`;
  }
}

function renderBanners() {
  clear(banners);
  if (state.signInMessage) {
    banners.append(h("div", { className: "banner banner-info", role: "alert", id: "sign-in-message" }, state.signInMessage));
  }
  if (!signedIn() && !state.publicStatus && state.services === null) {
    banners.append(h("div", { className: "banner banner-info" }, "Sign in with an API token to see the services. (`switchboard token create NAME --role viewer` makes one.)"));
  }
  // First: on a node cut off from etcd everything below may be stale.
  const degraded = degradedBanner(state);
  if (degraded) banners.append(degraded);
  if (state.error && state.error.status !== 401) {
    banners.append(h("div", { className: "banner banner-danger", role: "alert" }, `The API could not be read: ${state.error.message}`));
  }
  const doc = state.status;
  if (doc && doc.indicator !== "none") {
    const affected = doc.services.filter((x) => x.status !== "operational")
      .map((x) => `${x.id}: ${x.status.replace(/_/g, " ")}`);
    banners.append(h("div", { className: `banner banner-indicator indicator-${doc.indicator}`, role: "alert", id: "indicator-banner" },
      h("strong", {}, `▲ ${doc.description}. `), affected.length ? affected.join(" · ") : "See the grid."));
  }
  // A degraded node's failing `cluster` check is the banner above; the other checks still show here.
  const failing = state.ready && !state.ready.ready ? state.ready.checks.filter((c) => !c.ok && !(degraded && c.name === "cluster")) : [];
  if (failing.length) {
    banners.append(h("div", { className: "banner banner-danger", role: "alert", id: "not-ready" },
      h("strong", {}, "⚠ Switchboard is not ready. "),
      failing.map((c) => h("span", {}, `${c.name}: ${c.detail} `))));
  }
  for (const o of state.overrides || []) {
    const canClear = state.role === "operator" || state.role === "admin";
    banners.append(h("div", { className: `banner banner-override override-${o.kind}`, role: "alert", dataset: { override: o.id } },
      h("span", { className: "banner-kind" }, o.kind.toUpperCase()),
      h("span", { className: "banner-text" },
        h("strong", {}, overrideWords(o)), " ",
        `Set by ${o.actor}: “${o.reason}”. Until `, time(o.expires_at), ` (in ${relativeUntil(o.expires_at)}).`),
      signedIn() ? h("button", {
        type: "button", className: "quiet", disabled: !canClear,
        title: canClear ? "Clear this override now" : `Clearing needs the operator role; your token is ${state.role}.`,
        onclick: () => clearOverride(o, () => refresh()),
      }, "Clear early") : null,
      signedIn() && !canClear ? h("span", { className: "disabled-note" }, `Clearing needs the operator role (your token: ${state.role}).`) : null));
  }
}

// ---- stream ----

function startStream() {
  stream = new EventStream({
    onEvent: (event) => {
      state.events.push(event);
      if (state.events.length > 500) state.events.splice(0, state.events.length - 500);
      view?.onEvent?.(event, state);
      scheduleRefresh();
    },
    onState: (text, ok) => {
      streamState.textContent = text;
      streamState.className = `stream-state ${ok ? "stream-ok" : "stream-down"}`;
      if (ok) scheduleRefresh();
    },
  });
  stream.start();
}

// ---- routing ----

function route() {
  view?.unmount?.();
  clear(main);
  const hash = location.hash || "#/";
  const current = (id, on) => {
    const link = document.getElementById(id);
    if (on) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  };
  current("nav-overview", hash === "#/");
  current("nav-events", hash.startsWith("#/events"));
  current("nav-drills", hash.startsWith("#/drills"));
  current("nav-cluster", hash.startsWith("#/cluster"));
  if (hash.startsWith("#/service/")) {
    view = new ServiceView(main, decodeURIComponent(hash.slice("#/service/".length)), state);
  } else if (hash.startsWith("#/events")) {
    view = new EventsView(main, state);
  } else if (hash.startsWith("#/drills")) {
    view = new DrillsView(main, state);
  } else if (hash.startsWith("#/cluster")) {
    view = new ClusterView(main, state);
  } else {
    view = new OverviewView(main, state);
  }
  document.title = `${view.title} · Switchboard`;
  view.update(state);
}

window.addEventListener("hashchange", () => { route(); main.focus({ preventScroll: true }); });

async function start() {
  if (api.token()) {
    try {
      const who = await api.session();
      state.role = who.role;
      state.name = who.name;
    } catch (error) {
      api.setToken(null);
      state.signInMessage = `Your saved token is not accepted: ${error.message}`;
    }
  }
  renderSession();
  route();
  if (signedIn()) startStream();
  await refresh();
  setInterval(() => { if (!document.hidden) refresh(); }, 3000);
}

start().catch((error) => { fill(main, errorBox(error)); });
