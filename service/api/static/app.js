// Newsdesk web page: views by URL hash (#ask, #digest, #ingest) and the API key field.

import { apiKey, setApiKey } from "./api.js";
import { setupAsk } from "./ask.js";
import { setupDigest } from "./digest.js";
import { setupFreshness } from "./freshness.js";
import { setupIngest } from "./ingest.js";
import { setupPanel } from "./quote.js";

const VIEWS = ["ask", "digest", "ingest"];
const onShow = {};

function show(view) {
  const name = VIEWS.includes(view) ? view : "ask";
  for (const other of VIEWS) document.getElementById(`view-${other}`).hidden = other !== name;
  for (const link of document.querySelectorAll("nav a[data-view]")) {
    if (link.dataset.view === name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  onShow[name]?.();
}

function setupKey() {
  const form = document.getElementById("key-form");
  const input = document.getElementById("api-key");
  const state = document.getElementById("key-state");
  const refresh = () => { state.textContent = apiKey() ? "set for this tab" : "none"; };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    setApiKey(input.value.trim());
    input.value = "";
    refresh();
  });
  document.getElementById("key-clear").addEventListener("click", () => {
    setApiKey("");
    input.value = "";
    refresh();
  });
  refresh();
}

setupKey();
setupPanel();
setupAsk();
setupIngest();
setupFreshness();
onShow.digest = setupDigest();
window.addEventListener("hashchange", () => show(location.hash.slice(1)));
show(location.hash.slice(1));
document.documentElement.dataset.ready = "1";
