// Calls to the API: the key from this tab's sessionStorage goes on every request when set.

const KEY_NAME = "newsdesk.apiKey";

export function apiKey() {
  return sessionStorage.getItem(KEY_NAME) || "";
}

export function setApiKey(value) {
  if (value) sessionStorage.setItem(KEY_NAME, value);
  else sessionStorage.removeItem(KEY_NAME);
}

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function headers(extra = {}) {
  const all = { Accept: "application/json", ...extra };
  const key = apiKey();
  if (key) all.Authorization = `Bearer ${key}`;
  return all;
}

const HINTS = {
  401: "set an API key (top of the page)",
  403: "this key's role does not allow it",
  413: "too large",
  429: "too many requests, wait a moment",
};

// FastAPI errors: {"detail": "text"} or {"detail": [{"loc": [...], "msg": "..."}]}.
async function errorOf(response) {
  let detail = response.statusText || "request failed";
  try {
    const body = await response.json();
    if (typeof body.detail === "string") detail = body.detail;
    else if (Array.isArray(body.detail)) {
      detail = body.detail.map((e) => `${(e.loc || []).slice(1).join(".")}: ${e.msg}`).join("; ");
    }
  } catch {
    // not JSON: keep the status text
  }
  const hint = HINTS[response.status];
  return new ApiError(response.status, `${response.status}${hint ? ` (${hint})` : ""}: ${detail}`);
}

export async function getJSON(path, { signal } = {}) {
  const response = await fetch(path, { headers: headers(), signal });
  if (!response.ok) throw await errorOf(response);
  return response.json();
}

export async function postJSON(path, body, { signal } = {}) {
  const response = await fetch(path, {
    method: "POST",
    headers: headers({ "Content-Type": "application/json" }),
    body: JSON.stringify(body),
    signal,
  });
  if (!response.ok) throw await errorOf(response);
  return response.json();
}

function parseEvent(block) {
  let event = "message";
  const data = [];
  for (const line of block.split("\n")) {
    if (line.startsWith("event:")) event = line.slice(6).trim();
    else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
  }
  return { event, data: data.length ? JSON.parse(data.join("\n")) : null };
}

// POST that answers with server-sent events (EventSource cannot POST): calls onEvent(name, data)
// for each event as it arrives; resolves when the stream ends.
export async function postStream(path, body, onEvent, { signal } = {}) {
  const response = await fetch(path, {
    method: "POST",
    headers: headers({ "Content-Type": "application/json", Accept: "text/event-stream" }),
    body: JSON.stringify(body),
    signal,
  });
  if (!response.ok) throw await errorOf(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      if (block.trim()) {
        const { event, data } = parseEvent(block);
        onEvent(event, data);
      }
    }
  }
}
