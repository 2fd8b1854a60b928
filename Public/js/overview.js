// Overview: services × regions. Each cell shows health as colour, word and icon, whether the region receives
// traffic and whether it is the primary; each row the service's health and the workflow in flight with its step.
// Cells are kept and only changed when their content changes, so a change event updates a large grid quickly.
import { h, badge, setBadge, clear, fill, time } from "./dom.js";

export class OverviewView {
  constructor(main, state) {
    this.title = "Overview";
    this.root = h("section", { className: "overview", "aria-labelledby": "overview-title" });
    main.append(this.root);
    this.grid = new ServiceGrid();
    this.heading = h("div", { className: "view-head" },
      h("h1", { id: "overview-title" }, "Services"),
      h("p", { className: "legend muted" },
        h("span", { className: "traffic-mark", "aria-hidden": "true" }, "▶"), " receives traffic  ·  ",
        h("span", { className: "tag" }, "primary"), " configured primary"));
    this.message = h("div");
    this.activity = h("ol", { className: "events compact", id: "recent-activity", "aria-label": "Recent activity, newest first" });
    this.activityPanel = h("section", { className: "panel activity", "aria-labelledby": "activity-title", hidden: true },
      h("h2", { id: "activity-title" }, "Recent activity ", h("a", { href: "#/events", className: "more" }, "all events →")),
      this.activity);
    this.root.append(this.heading, this.message, this.grid.table, this.activityPanel);
  }

  onEvent(event, state) {
    this.renderActivity(state);
  }

  renderActivity(state) {
    this.activityPanel.hidden = !state.role;
    if (!state.role) return;
    const recent = state.events.slice(-8).reverse();
    fill(this.activity, recent.length ? recent.map((e) => h("li", { className: `event${/failed|blocked|error|rejected/.test(e.kind) ? " event-bad" : ""}`, dataset: { seq: e.seq } },
      h("span", { className: "event-time" }, time(e.at)), h("span", { className: "event-kind" }, e.kind),
      h("span", { className: "event-scope" }, e.scope), h("span", { className: "event-message" }, e.message)))
      : h("li", { className: "muted" }, "Nothing has happened since this page opened."));
  }

  update(state) {
    clear(this.message);
    if (!state.services) {
      this.grid.table.hidden = true;
      if (!state.role && !state.publicStatus) this.message.append(h("p", { className: "muted" }, "Signed out. The overview needs a token unless the server publishes its status (public_status)."));
      return;
    }
    this.grid.table.hidden = false;
    if (!state.role) this.message.append(h("p", { className: "muted", id: "public-note" }, "Public status (signed out): sign in for details and actions."));
    this.grid.update(state.services, !!state.role);
    this.renderActivity(state);
  }
}

/** The grid itself, reusable for the benchmark. */
export class ServiceGrid {
  constructor() {
    this.table = h("table", { className: "grid", id: "service-grid" });
    this.caption = h("caption", { className: "visually-hidden" }, "Health of every service in every region");
    this.headRow = h("tr");
    this.body = h("tbody");
    this.table.append(this.caption, h("thead", {}, this.headRow), this.body);
    this.regions = [];
    this.rows = new Map();
  }

  setRegions(regions) {
    if (regions.join("\n") === this.regions.join("\n")) return false;
    this.regions = regions;
    fill(this.headRow, 
      h("th", { scope: "col" }, "Service"),
      ...regions.map((r) => h("th", { scope: "col" }, r)));
    return true;
  }

  update(services, linked) {
    const regions = [];
    for (const s of services) for (const r of s.regions) if (!regions.includes(r.region)) regions.push(r.region);
    if (this.setRegions(regions)) { this.rows.clear(); clear(this.body); }
    const seen = new Set();
    let previous = null;
    for (const service of services) {
      seen.add(service.id);
      let row = this.rows.get(service.id);
      if (!row) {
        row = new GridRow(service, regions, linked);
        this.rows.set(service.id, row);
      }
      if (row.linked !== linked) row.setLinked(service, linked);
      row.update(service);
      const expected = previous ? previous.tr.nextSibling : this.body.firstChild;
      if (expected !== row.tr) this.body.insertBefore(row.tr, expected);
      previous = row;
    }
    for (const [id, row] of this.rows) if (!seen.has(id)) { row.tr.remove(); this.rows.delete(id); }
  }
}

class GridRow {
  constructor(service, regions, linked) {
    this.linked = linked;
    this.name = h("span", { className: "service-name" });
    this.badge = badge("unknown");
    this.flow = h("span", { className: "workflow-chip", hidden: true });
    this.away = h("span", { className: "away-chip", hidden: true });
    this.head = h("th", { scope: "row", className: "service-cell" }, this.name, " ", this.badge, this.flow, this.away);
    this.tr = h("tr", { dataset: { service: service.id } }, this.head);
    this.cells = new Map();
    for (const region of regions) {
      const cell = new GridCell(region);
      this.cells.set(region, cell);
      this.tr.append(cell.td);
    }
    this.setLinked(service, linked);
    this.key = "";
  }

  setLinked(service, linked) {
    this.linked = linked;
    const label = linked ? h("a", { href: `#/service/${encodeURIComponent(service.id)}` }, service.id) : service.id;
    fill(this.name, label);
  }

  update(service) {
    const step = service.workflow ? (service.workflow.step || "in progress") : "";
    const to = service.workflow?.plan ? service.workflow.plan.to.active_region || "" : "";
    const away = !service.workflow && service.active && service.primary && service.active !== service.primary;
    const key = `${service.health}|${step}|${to}|${away}`;
    if (key !== this.key) {
      this.key = key;
      this.away.hidden = !away;
      this.away.textContent = away ? `⚠ Away from its primary, ${service.primary}` : "";
      setBadge(this.badge, service.health);
      this.flow.hidden = !service.workflow;
      this.flow.textContent = service.workflow ? `⟳ Moving${to ? ` to ${to}` : ""}: ${step}` : "";
    }
    for (const r of service.regions) this.cells.get(r.region)?.update(r);
  }
}

class GridCell {
  constructor(region) {
    this.region = region;
    this.badge = badge("unknown");
    this.traffic = h("span", { className: "traffic" });
    this.primary = h("span", { className: "tag", hidden: true }, "primary");
    this.td = h("td", { className: "cell", dataset: { region } }, this.badge, this.traffic, this.primary);
    this.key = "";
  }

  update(r) {
    const key = `${r.health}|${r.traffic}|${r.primary}|${r.reason}|${r.weight ?? ""}`;
    if (key === this.key) return;
    this.key = key;
    setBadge(this.badge, r.health);
    this.td.className = `cell cell-${r.health}${r.traffic ? " cell-active" : ""}`;
    const weight = r.weight !== undefined && r.weight !== null && r.weight < 100 && r.traffic ? ` ${r.weight}%` : "";
    this.traffic.textContent = r.traffic ? `▶ traffic${weight}` : "no traffic";
    this.traffic.className = r.traffic ? "traffic traffic-on" : "traffic traffic-off";
    this.primary.hidden = !r.primary;
    this.td.title = r.reason || "";
  }
}

/**
 * Measures (for the browser test) the script time of one grid update from a change event on `services` × `regions`:
 * renders the grid once, then changes one service's health and active region and times the update.
 */
export function benchmark(container, serviceCount = 200, regionCount = 5) {
  const regions = Array.from({ length: regionCount }, (_, i) => `region-${i + 1}`);
  const make = (changed) => Array.from({ length: serviceCount }, (_, i) => ({
    id: `service-${String(i).padStart(3, "0")}.example.com`,
    health: changed && i === 7 ? "unhealthy" : "healthy",
    workflow: changed && i === 7 ? { state: "running", step: "ChangeDNS (started)", plan: { to: { active_region: regions[1] } } } : null,
    regions: regions.map((region, j) => ({
      region, primary: j === 0,
      traffic: changed && i === 7 ? j === 1 : j === 0,
      health: changed && i === 7 && j === 0 ? "unhealthy" : "healthy", reason: "", weight: 100,
    })),
  }));
  const grid = new ServiceGrid();
  container.append(grid.table);
  let start = performance.now();
  grid.update(make(false), true);
  void grid.table.offsetHeight;
  const firstRender = performance.now() - start;
  const next = make(true);
  start = performance.now();
  grid.update(next, true);
  const update = performance.now() - start;
  void grid.table.offsetHeight;
  const updateWithLayout = performance.now() - start;
  grid.table.remove();
  return { firstRender, update, updateWithLayout, cells: serviceCount * regionCount };
}
