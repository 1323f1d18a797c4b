// Digest view: a day's stories with outlet counts and cited sentences; each expands to its articles.

import { getJSON } from "./api.js";
import { clear, el, formatDate, link, plural } from "./dom.js";
import { byNumber, sentencesNode, textWithMarkers } from "./sentences.js";

let running = null;

function storyNode(story, index) {
  const citations = byNumber(story.citations);
  const titles = new Map(story.articles.map((a) => [a.id, a.title]));
  return el("article", { class: "story" },
    el("h3", {}, `${index + 1}. ${story.headline}`),
    el("p", { class: "meta" }, `${plural(story.outlets, "outlet")} · ${plural(story.articles.length, "article")}`),
    story.sentences.length
      ? sentencesNode(story.sentences, citations)
      : el("p", { class: "meta" }, "No sentence about this story could be verified."),
    story.new_since_previous_day
      ? el("p", { class: "new" }, el("strong", {}, "New since the previous day: "),
        textWithMarkers(story.new_since_previous_day, citations))
      : null,
    el("details", { class: "articles" },
      el("summary", {}, `Articles (${story.articles.length})`),
      el("ul", {}, story.articles.map((a) => el("li", {},
        link(a.title, a.url, { class: "title" }),
        el("span", { class: "meta" }, ` — ${a.source}`),
        a.duplicate_of ? el("span", { class: "badge" }, `copy of “${titles.get(a.duplicate_of) || a.duplicate_of}”`) : null)))));
}

function digestNodes(digest) {
  const shown = digest.stories.length;
  const more = digest.total_stories > shown ? ` (top ${shown} shown)` : "";
  return [
    el("h2", {}, `Digest for ${formatDate(digest.date)}`),
    el("p", { class: "meta" }, `${plural(digest.total_stories, "story", "stories")}${more}`),
    digest.message ? el("p", { class: "notice" }, digest.message) : null,
    digest.stories.map(storyNode),
  ];
}

async function load(day, out, status) {
  running?.abort();
  const controller = new AbortController();
  running = controller;
  clear(out);
  out.setAttribute("aria-busy", "true");
  status.textContent = "Writing the digest (one short model call per story; the first time can take a minute)…";
  try {
    const digest = await getJSON(`/v1/digest?date=${encodeURIComponent(day)}`, { signal: controller.signal });
    clear(out, digestNodes(digest));
    status.textContent = "";
  } catch (error) {
    if (error.name === "AbortError") return;
    status.textContent = "";
    clear(out, el("p", { class: "error", role: "alert" }, `Could not load the digest: ${error.message}`));
  } finally {
    if (running === controller) {
      running = null;
      out.removeAttribute("aria-busy");
    }
  }
}

// The newest article's day is the most useful default; today when the list cannot be read.
async function defaultDay(input) {
  if (input.value) return;
  input.value = new Date().toISOString().slice(0, 10);
  try {
    const [newest] = await getJSON("/v1/articles?limit=1");
    if (newest && !input.dataset.touched) input.value = newest.published_at;
  } catch {
    // keep today
  }
}

export function setupDigest() {
  const form = document.getElementById("digest-form");
  const input = document.getElementById("digest-date");
  const out = document.getElementById("digest");
  const status = document.getElementById("digest-status");
  input.addEventListener("input", () => { input.dataset.touched = "1"; });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    load(input.value, out, status);
  });
  return () => defaultDay(input);
}
