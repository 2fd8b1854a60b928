// The public REST API, with the pasted token sent as a bearer header (kept in sessionStorage, never a cookie).

const TOKEN_KEY = "switchboard.token";

/** An API answer that was not a success, with the problem document's `detail` sentence. */
export class APIError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `The server answered ${status}.`);
    this.status = status;
    this.problem = problem || {};
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

export function authHeaders(extra = {}) {
  const headers = { Accept: "application/json", ...extra };
  const t = token();
  if (t) headers.Authorization = `Bearer ${t}`;
  return headers;
}

async function problemOf(response) {
  try {
    return await response.json();
  } catch {
    return { detail: `The server answered ${response.status} ${response.statusText}.` };
  }
}

/** GET a JSON document; throws APIError with the problem's detail. */
export async function get(path) {
  const response = await fetch(path, { headers: authHeaders(), cache: "no-cache" });
  if (!response.ok) throw new APIError(response.status, await problemOf(response));
  return response.json();
}

/** POST or DELETE with a JSON body and a fresh Idempotency-Key; throws APIError with the problem's detail. */
export async function send(method, path, body) {
  const extra = {};
  if (body !== undefined) extra["Content-Type"] = "application/json";
  if (method === "POST") extra["Idempotency-Key"] = crypto.randomUUID();
  const response = await fetch(path, {
    method,
    headers: authHeaders(extra),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new APIError(response.status, await problemOf(response));
  return response.status === 204 ? null : response.json();
}

/** The token's name and role (GET /api/v1/session); throws APIError (401) for a token that is not accepted. */
export async function session() {
  return get("/api/v1/session");
}

export const enc = encodeURIComponent;
