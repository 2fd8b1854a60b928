// This node in its cluster: which node the page talks to, its role (leader, follower, degraded) and the leader, for
// the header and the banner of a node cut off from etcd. GET /api/v1/cluster (viewer) is read at most every 5 s, or at
// once when /readyz (public, read on every refresh) reports another role.
import * as api from "./api.js";
import { h, fill } from "./dom.js";

const READ_EVERY_MS = 5000;
let lastRead = 0;
let reading = false;
let shownKey = null;

export const ROLE_WORDS = { leader: "Leader", follower: "Follower", degraded: "Degraded" };
export const ROLE_ICONS = { leader: "★", follower: "●", degraded: "⚠" };

/** Reads GET /api/v1/cluster into `state.cluster` when due; answers whether it read. Never throws. */
export async function readCluster(state, ready) {
  if (!state.role) {
    const had = state.cluster !== null;
    state.cluster = null;
    state.clusterError = null;
    lastRead = 0;
    return had;
  }
  const roleChanged = !!(ready?.role && state.cluster && ready.role !== state.cluster.role);
  if (reading || (!roleChanged && Date.now() - lastRead < READ_EVERY_MS)) return false;
  reading = true;
  lastRead = Date.now();
  try {
    state.cluster = await api.get("/api/v1/cluster");
    state.clusterError = null;
  } catch (error) {
    state.clusterError = error;
  } finally {
    reading = false;
  }
  return true;
}

/** This node's role and why: /readyz (read every refresh, public) wins over an older cluster read. */
export function nodeRole(state) {
  const cluster = state.cluster;
  const role = state.ready?.role || cluster?.role || null;
  const check = state.ready?.checks?.find((c) => c.name === "cluster");
  if (check) return { role, detail: check.detail.replace(/^(leader|follower|degraded): /, "") };
  return { role, detail: cluster && cluster.role === role ? cluster.detail : null };
}

/** A role as colour, word and icon. */
export function roleBadge(role, extra = "") {
  return h("span", { className: `role-badge role-${role} ${extra}`.trim() },
    h("span", { className: "icon", "aria-hidden": "true" }, ROLE_ICONS[role] || "?"), ROLE_WORDS[role] || role);
}

/** The header's indicator: node id, role and leader, linking to the cluster view; redrawn only when it changes. */
export function renderNodeStatus(container, state) {
  const { role, detail } = nodeRole(state);
  const cluster = state.cluster;
  const id = cluster?.node.id || null;
  const leader = cluster?.leader?.id || null;
  // The detail changes every read (a leader's lease seconds): kept in the title, so the live region speaks only on
  // a change of node, role or leader.
  const key = JSON.stringify([role, id, leader, cluster?.backend]);
  if (key === shownKey) {
    container.firstChild?.setAttribute("title", detail || "");
    return;
  }
  shownKey = key;
  if (!role) { fill(container); return; }
  let leaderPart = null;
  if (role === "follower") leaderPart = leader ? `leader ${leader}` : "no leader";
  else if (role === "degraded" && leader) leaderPart = `last leader ${leader}`;
  fill(container, h("a", { href: "#/cluster", className: `node node-${role}`, id: "node-link", title: detail || "" },
    h("span", { className: "visually-hidden" }, id ? "This page talks to node " : "This page talks to "),
    id ? h("span", { className: "node-id" }, id) : "this node",
    roleBadge(role),
    leaderPart ? h("span", { className: "node-leader" }, leaderPart) : null,
    cluster?.backend === "sqlite" ? h("span", { className: "visually-hidden" }, "(a single node on SQLite)") : null));
}

/** The banner of a node cut off from etcd, or null. */
export function degradedBanner(state) {
  const { role, detail } = nodeRole(state);
  if (role !== "degraded") return null;
  const id = state.cluster?.node.id;
  const leader = state.cluster?.leader?.id;
  return h("div", { className: "banner banner-danger banner-degraded", role: "alert", id: "degraded-banner" },
    h("span", { className: "banner-kind" }, "DEGRADED"),
    h("span", { className: "banner-text" },
      h("strong", {}, `${id ? `Node ${id}` : "This node"} is degraded. `),
      detail || "This node is cut off from etcd: it takes no action and serves what it last read.",
      leader ? ` The last leader it knew: ${leader}.` : "",
      " What this page shows may be out of date; act from a node that is not degraded."));
}
