// Events: the live timeline (from the stream, filterable by service and kind) and the older audit log, paged.
import * as api from "./api.js";
import { h, clear, fill, localTime, time, errorBox } from "./dom.js";

const KINDS = [
  "decision.initiated", "decision.blocked", "decision.health_check_error", "workflow.started", "workflow.step_started",
  "workflow.step_finished", "workflow.step_retried", "workflow.step_skipped", "workflow.step_failed",
  "workflow.approval_requested", "workflow.approval_decided", "workflow.succeeded", "workflow.failed", "notification.failed",
  "metrics.failed", "override.created", "override.cleared", "override.expired", "configuration.reloaded",
  "configuration.rejected", "drill.created", "drill.updated", "drill.cancelled", "drill.paused", "drill.resumed",
  "drill.started", "drill.skipped", "drill.abort_requested", "drill.finished",
];

function eventItem(event) {
  const family = event.kind.split(".")[0];
  return h("li", { className: `event event-${family} ${/failed|blocked|error|rejected/.test(event.kind) ? "event-bad" : ""}`, dataset: { seq: event.seq, kind: event.kind } },
    h("span", { className: "event-time" }, time(event.at)),
    h("span", { className: "event-kind" }, event.kind),
    h("span", { className: "event-scope" }, event.scope),
    h("span", { className: "event-message" }, event.message, h("span", { className: "muted" }, ` — ${event.actor}`)));
}

export class EventsView {
  constructor(main, state) {
    this.title = "Events";
    this.state = state;
    this.service = h("select", { id: "filter-service" }, h("option", { value: "" }, "All services"));
    this.kind = h("select", { id: "filter-kind" }, h("option", { value: "" }, "All kinds"), KINDS.map((k) => h("option", { value: k }, k)));
    this.live = h("ol", { className: "events", id: "live-events", "aria-live": "polite", "aria-label": "Live events, newest first" });
    this.liveEmpty = h("p", { className: "muted", id: "live-empty" }, "Waiting for events…");
    this.log = h("ol", { className: "events", id: "audit-log", "aria-label": "Audit log, newest first" });
    this.more = h("button", { type: "button", id: "load-older", onclick: () => this.loadPage() }, "Load older events");
    this.logMessage = h("div");
    this.cursor = null;
    this.serviceIds = "";
    const refilter = () => { this.renderLive(); this.cursor = null; clear(this.log); this.loadPage(); };
    this.service.addEventListener("change", refilter);
    this.kind.addEventListener("change", refilter);
    main.append(h("section", { className: "events-view", "aria-labelledby": "events-title" },
      h("div", { className: "view-head" }, h("h1", { id: "events-title" }, "Events")),
      h("form", { className: "filters", onsubmit: (e) => e.preventDefault() },
        h("div", { className: "field" }, h("label", { htmlFor: "filter-service" }, "Service"), this.service),
        h("div", { className: "field" }, h("label", { htmlFor: "filter-kind" }, "Kind"), this.kind)),
      h("section", { className: "panel", "aria-labelledby": "live-title" }, h("h2", { id: "live-title" }, "Live"), this.liveEmpty, this.live),
      h("section", { className: "panel", "aria-labelledby": "log-title" }, h("h2", { id: "log-title" }, "Audit log"), this.log, this.logMessage, this.more)));
    this.renderLive();
    if (state.role) this.loadPage();
  }

  matches(event) {
    if (this.kind.value && event.kind !== this.kind.value) return false;
    if (this.service.value && event.scope !== `service:${this.service.value}`) return false;
    return true;
  }

  renderLive() {
    clear(this.live);
    const shown = this.state.events.filter((e) => this.matches(e)).slice(-200).reverse();
    this.live.append(...shown.map(eventItem));
    this.liveEmpty.hidden = shown.length > 0;
  }

  onEvent(event) {
    if (!this.matches(event)) return;
    this.live.prepend(eventItem(event));
    this.liveEmpty.hidden = true;
    while (this.live.childElementCount > 200) this.live.lastChild.remove();
  }

  update(state) {
    this.state = state;
    const ids = (state.services || []).map((s) => s.id);
    if (ids.join("\n") !== this.serviceIds) {
      this.serviceIds = ids.join("\n");
      const current = this.service.value;
      fill(this.service, h("option", { value: "" }, "All services"), ...ids.map((id) => h("option", { value: id, selected: id === current }, id)));
    }
    if (!state.role) fill(this.logMessage, h("p", { className: "muted" }, "Sign in to read the events."));
  }

  async loadPage() {
    if (!this.state.role) return;
    const generation = (this.generation = (this.generation || 0) + 1);
    const params = new URLSearchParams({ limit: "50" });
    if (this.cursor) params.set("cursor", this.cursor);
    if (this.kind.value) params.set("kind", this.kind.value);
    if (this.service.value) params.set("scope", `service:${this.service.value}`);
    this.more.disabled = true;
    try {
      const page = await api.get(`/api/v1/events?${params}`);
      if (generation !== this.generation) return; // the filters changed meanwhile
      clear(this.logMessage);
      this.log.append(...page.events.map(eventItem));
      this.cursor = page.next_cursor;
      this.more.hidden = !page.next_cursor;
      if (!this.log.childElementCount) this.logMessage.append(h("p", { className: "muted" }, "No events match."));
    } catch (error) {
      fill(this.logMessage, errorBox(error));
    } finally {
      this.more.disabled = false;
    }
  }
}
