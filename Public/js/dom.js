// Small DOM helpers: elements built with properties (never innerHTML), times with UTC on hover, health badges.

/** Creates an element: h("div", { className: "x", onclick }, child, "text"). */
export function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key in node && !key.includes("-")) node[key] = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  append(node, children);
  return node;
}

export function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

const SVG = "http://www.w3.org/2000/svg";
/** Creates an SVG element with attributes. */
export function s(tag, attributes = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  append(node, children);
  return node;
}

const localFormat = new Intl.DateTimeFormat(undefined, {
  month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit",
});

/** A <time> in the viewer's zone with the UTC instant on hover. */
export function time(iso) {
  if (!iso) return h("span", { className: "muted" }, "never");
  const date = new Date(iso);
  return h("time", { dateTime: iso, title: `${date.toISOString().replace(".000Z", "Z")} (UTC)` }, localFormat.format(date));
}

/** "2 h 5 min", "45 s". */
export function duration(seconds) {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return "—";
  const total = Math.max(0, seconds);
  if (total < 1) return `${Math.round(total * 1000)} ms`;
  if (total < 90) return `${total < 10 ? total.toFixed(1) : Math.round(total)} s`;
  const minutes = Math.round(total / 60);
  if (minutes < 90) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
}

export function relativeUntil(iso) {
  return duration((new Date(iso) - Date.now()) / 1000);
}

/** "12 s ago", "3 min ago". */
export function relativeSince(iso) {
  return `${duration((Date.now() - new Date(iso)) / 1000)} ago`;
}

const ICONS = { healthy: "✓", degraded: "!", unhealthy: "✕", unknown: "?" };
const WORDS = { healthy: "Healthy", degraded: "Degraded", unhealthy: "Unhealthy", unknown: "Unknown" };

/** Health as colour, word and icon. */
export function badge(status, extra = "") {
  const known = ICONS[status] ? status : "unknown";
  return h("span", { className: `badge health-${known} ${extra}`.trim() },
    h("span", { className: "icon", "aria-hidden": "true" }, ICONS[known]), WORDS[known]);
}

export function setBadge(node, status) {
  const known = ICONS[status] ? status : "unknown";
  node.className = `badge health-${known}`;
  node.firstChild.textContent = ICONS[known];
  node.lastChild.textContent = WORDS[known];
}

/** Replaces a node's children (null, false and nested arrays are skipped). */
export function fill(node, ...children) {
  return append(clear(node), children);
}

/** An instant as local text, the same format everywhere. */
export function localTime(iso) {
  return localFormat.format(new Date(iso));
}

export function clear(node) {
  while (node.firstChild) node.firstChild.remove();
  return node;
}

/** An error box with the API's detail sentence. */
export function errorBox(error) {
  return h("p", { className: "error", role: "alert" }, error?.message || String(error));
}
