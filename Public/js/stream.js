// The live event stream (/api/v1/events/stream), read with fetch and a streaming body so the bearer header is
// sent; reconnects by itself and resumes after the last event seen with Last-Event-ID: no gap, no duplicate.
import { authHeaders } from "./api.js";

export class EventStream {
  constructor({ onEvent, onState, backlog = 30 }) {
    this.onEvent = onEvent;
    this.onState = onState;
    this.backlog = backlog;
    this.lastId = null;
    this.retryMs = 3000;
    this.stopped = false;
    this.controller = null;
  }

  start() {
    this.stopped = false;
    this.loop();
  }

  stop() {
    this.stopped = true;
    this.controller?.abort();
  }

  async loop() {
    let failures = 0;
    while (!this.stopped) {
      try {
        await this.connect();
        failures = 0;
      } catch (error) {
        if (this.stopped) return;
        failures += 1;
        this.onState(`Live events lost (${error.message}); reconnecting…`, false);
      }
      if (this.stopped) return;
      this.onState("Live events: reconnecting…", false);
      // First retry soon (a restarted server is usually back), then the server's `retry:` interval, growing.
      const delay = failures <= 1 ? 1000 : Math.min(this.retryMs * (failures - 1), 15000);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  async connect() {
    this.controller = new AbortController();
    const headers = authHeaders({ Accept: "text/event-stream" });
    let url = "/api/v1/events/stream";
    if (this.lastId !== null) headers["Last-Event-ID"] = this.lastId;
    else url += `?backlog=${this.backlog}`;
    const response = await fetch(url, { headers, signal: this.controller.signal, cache: "no-store" });
    if (!response.ok) {
      let detail = `${response.status}`;
      try { detail = (await response.json()).detail || detail; } catch { /* not JSON */ }
      throw new Error(detail);
    }
    this.onState("Live", true);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error("the server closed the stream");
      buffer += value;
      let boundary;
      while ((boundary = buffer.search(/\r?\n\r?\n/)) >= 0) {
        const block = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + (buffer[boundary] === "\r" ? 4 : 2));
        this.dispatch(block);
      }
    }
  }

  /** One SSE block: `retry:`, `id:`, `event:`, `data:` lines; comments start with ':'. */
  dispatch(block) {
    let id = null;
    const data = [];
    for (const line of block.split(/\r?\n/)) {
      if (!line || line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "id") id = value;
      else if (field === "data") data.push(value);
      else if (field === "retry" && /^\d+$/.test(value)) this.retryMs = Number(value);
    }
    if (data.length === 0) {
      // The opening block names the position the stream starts from.
      if (id !== null && this.lastId === null) this.lastId = id;
      return;
    }
    const event = JSON.parse(data.join("\n"));
    if (this.lastId !== null && Number(event.seq) <= Number(this.lastId)) return; // already seen
    this.lastId = String(event.seq);
    this.onEvent(event);
  }
}
