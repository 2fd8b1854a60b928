// Cluster (#/cluster): the store backend, this node, its role and the leader, and every member with its role, lease
// time left, last heartbeat and start; on SQLite, plainly one node. Drawn from state.cluster (see node.js).
import { h, fill, time, relativeSince, errorBox } from "./dom.js";
import { nodeRole, roleBadge } from "./node.js";

function since(iso) {
  if (!iso) return h("span", { className: "muted" }, "—");
  return h("time", { dateTime: iso, title: `${new Date(iso).toISOString().replace(".000Z", "Z")} (UTC)` }, relativeSince(iso));
}

function summary(cluster, role, detail) {
  const leader = cluster.leader;
  const facts = h("p", { className: "facts" },
    h("span", {}, "Node ", h("strong", { id: "cluster-node-id" }, cluster.node.id), ` (${cluster.node.url})`),
    h("span", {}, "Role ", roleBadge(role)),
    h("span", {}, leader
      ? [role === "degraded" ? "Last leader known " : "Leader ", h("strong", { id: "cluster-leader-id" }, leader.id), leader.since ? [" since ", time(leader.since)] : null]
      : h("strong", { id: "cluster-leader-id" }, "No leader known")),
    h("span", {}, "Backend ", h("strong", {}, cluster.backend === "etcd" ? `etcd (cluster ${cluster.cluster})` : "SQLite")));
  const plain = cluster.backend === "sqlite"
    ? h("p", { id: "cluster-single" }, "A single node on SQLite: there is no cluster and no election, so this node is always the leader. ",
      h("span", { className: "muted" }, "Several nodes share etcd with storage.backend: etcd (docs/high-availability.md)."))
    : h("p", { id: "cluster-single" }, `Cluster ${cluster.cluster} on etcd: ${cluster.members.length ? `${cluster.members.length} ${cluster.members.length === 1 ? "member" : "members"} with a live lease` : "its members cannot be read now"}.`);
  const said = cluster.backend === "sqlite" && role === "leader"; // the sentence above says it
  return [plain, facts, detail && !said ? h("p", { className: "reason", id: "cluster-detail" }, detail) : null];
}

function memberRow(member, cluster) {
  const leads = cluster.leader?.id === member.id;
  const self = cluster.node.id === member.id;
  const lease = member.lease_ttl_left === null
    ? h("span", { className: "muted" }, cluster.backend === "sqlite" ? "no lease (SQLite)" : "—")
    : `${member.lease_ttl_left} s`;
  return h("tr", { className: leads ? "member-leader" : "", dataset: { member: member.id, role: member.role } },
    h("th", { scope: "row" }, h("span", { className: "member-id" }, member.id),
      leads ? [" ", h("span", { className: "tag tag-leader" }, "leader")] : null,
      self ? [" ", h("span", { className: "tag" }, "this node")] : null,
      h("span", { className: "member-url muted" }, member.url)),
    h("td", { dataset: { label: "Role" } }, roleBadge(member.role)),
    h("td", { dataset: { label: "Lease left" } }, lease),
    h("td", { dataset: { label: "Last heartbeat" } }, since(member.last_heartbeat)),
    h("td", { dataset: { label: "Started" } }, member.started_at ? time(member.started_at) : h("span", { className: "muted" }, "—")));
}

function members(cluster) {
  if (!cluster.members.length) {
    const why = cluster.detail.indexOf("The members cannot be listed");
    return h("p", { className: "error", id: "no-members" }, why >= 0 ? cluster.detail.slice(why) : "No member is listed.");
  }
  const sorted = [...cluster.members].sort((a, b) => (b.id === cluster.leader?.id) - (a.id === cluster.leader?.id) || a.id.localeCompare(b.id));
  const missing = cluster.leader && !cluster.members.some((m) => m.id === cluster.leader.id);
  return [
    h("table", { className: "grid members", id: "member-table" },
      h("caption", { className: "visually-hidden" }, "Members of the cluster, the leader first"),
      h("thead", {}, h("tr", {},
        h("th", { scope: "col" }, "Node"), h("th", { scope: "col" }, "Role"), h("th", { scope: "col" }, "Lease left"),
        h("th", { scope: "col" }, "Last heartbeat"), h("th", { scope: "col" }, "Started"))),
      h("tbody", {}, sorted.map((m) => memberRow(m, cluster)))),
    missing ? h("p", { className: "muted" }, `The leader ${cluster.leader.id} has no live member key (its lease may be expiring).`) : null,
  ];
}

export class ClusterView {
  constructor(main, state) {
    this.title = "Cluster";
    this.summary = h("div", { id: "cluster-summary" }, h("p", { className: "muted" }, "Loading…"));
    this.members = h("div", { id: "cluster-members" });
    this.membersPanel = h("section", { className: "panel", "aria-labelledby": "cluster-members-title" },
      h("h2", { id: "cluster-members-title" }, "Members"), this.members);
    main.append(h("section", { className: "cluster-view", "aria-labelledby": "cluster-title" },
      h("div", { className: "view-head" }, h("h1", { id: "cluster-title" }, "Cluster"),
        h("p", { className: "legend muted" }, "Read every 5 s. Only the leader decides and moves traffic; every node probes and serves this page.")),
      h("section", { className: "panel", "aria-labelledby": "cluster-node-title" }, h("h2", { id: "cluster-node-title" }, "This node"), this.summary),
      this.membersPanel));
    this.shown = null;
  }

  update(state) {
    const { role, detail } = nodeRole(state);
    const key = [state.cluster, state.clusterError, role, detail, state.role];
    if (this.shown && key.every((x, i) => x === this.shown[i])) return;
    this.shown = key;
    this.membersPanel.hidden = !state.role;
    if (!state.role) {
      fill(this.summary, h("p", {}, role ? ["This node's role: ", roleBadge(role), ". "] : null, "Sign in to see the cluster's members."));
      return;
    }
    if (!state.cluster) {
      fill(this.summary, state.clusterError ? errorBox(state.clusterError) : h("p", { className: "muted" }, "Loading…"));
      fill(this.members);
      return;
    }
    fill(this.summary, summary(state.cluster, role || state.cluster.role, detail),
      state.clusterError ? h("p", { className: "error", role: "alert" }, `The cluster could not be read again (${state.clusterError.message}); shown as last read.`) : null);
    fill(this.members, members(state.cluster));
  }
}
