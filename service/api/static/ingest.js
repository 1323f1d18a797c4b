// Ingest view: dropped or chosen files go to POST /v1/articles/files one at a time, pasted JSON too;
// every file gets a result line, failures with their line and reason.

import { postJSON } from "./api.js";
import { el, plural } from "./dom.js";

function readBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ""));
    reader.onerror = () => reject(reader.error || new Error("cannot read the file"));
    reader.readAsDataURL(file);
  });
}

function resultNode(result) {
  const failed = result.failed || [];
  const stored = result.ingested + result.updated + result.unchanged;
  const counts = stored || !failed.length
    ? `${result.ingested} ingested, ${result.updated} updated, ${result.unchanged} unchanged`
    : "";
  return el("li", { class: failed.length ? "result failed" : "result ok" },
    el("strong", { class: "name" }, result.name), " ",
    el("span", { class: failed.length ? "badge bad" : "badge good" }, failed.length ? "failed" : "ok"), " ",
    counts ? el("span", { class: "meta" }, counts) : null,
    failed.length ? el("ul", { class: "reasons" }, failed.map((f) => el("li", {},
      f.line ? `line ${f.line}: ${f.error}` : f.error))) : null);
}

async function payloadOf(entry) {
  if (!entry.file) return entry;
  return { name: entry.file.name, content_base64: await readBase64(entry.file) };
}

function failure(name, error) {
  return { name, ingested: 0, updated: 0, unchanged: 0, failed: [{ line: null, error }] };
}

async function sendAll(entries, list, status) {
  status.textContent = `Ingesting ${plural(entries.length, "file")}…`;
  let failed = 0;
  for (const entry of entries) {
    const name = entry.file ? entry.file.name : entry.name;
    const pending = el("li", { class: "result" }, el("strong", { class: "name" }, name), " sending…");
    list.append(pending);
    let result;
    try {
      result = (await postJSON("/v1/articles/files", { files: [await payloadOf(entry)] })).files[0];
    } catch (error) {
      result = failure(name, error.message);
    }
    pending.replaceWith(resultNode(result));
    if (result.failed.length) failed += 1;
  }
  status.textContent = `Done: ${plural(entries.length, "file")}, ${failed} with failures.`;
}

// Pasted text: a JSON document when it parses as one, else JSON lines (errors then name the line).
function pastedFile(text) {
  try {
    JSON.parse(text);
    return { name: "pasted.json", content: text };
  } catch {
    return { name: "pasted.jsonl", content: text };
  }
}

export function setupIngest() {
  const zone = document.getElementById("dropzone");
  const input = document.getElementById("files");
  const list = document.getElementById("ingest-results");
  const status = document.getElementById("ingest-status");
  const sendFiles = (files) => {
    if (files.length) sendAll([...files].map((file) => ({ file })), list, status);
  };
  input.addEventListener("change", () => {
    sendFiles(input.files);
    input.value = "";
  });
  zone.addEventListener("dragover", (event) => {
    event.preventDefault();
    zone.classList.add("over");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("over");
    sendFiles(event.dataTransfer?.files || []);
  });
  document.getElementById("paste-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = document.getElementById("paste").value;
    if (text.trim()) sendAll([pastedFile(text)], list, status);
  });
}
