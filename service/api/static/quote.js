// The citation panel: the quote highlighted inside its article passage, with title, outlet, date
// and a link to the original. Citation markers [n] are buttons made by citeButton().

import { getJSON } from "./api.js";
import { clear, el, formatDate, link, safeUrl } from "./dom.js";

const CONTEXT_CHARS = 360;
const articles = new Map();

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// [start, end] of the quote in the text: verbatim first, then allowing any whitespace between words.
export function findQuote(text, quote) {
  const exact = text.indexOf(quote);
  if (exact >= 0) return [exact, exact + quote.length];
  const words = quote.trim().split(/\s+/).filter(Boolean);
  if (!words.length) return null;
  const match = new RegExp(words.map(escapeRegExp).join("\\s+")).exec(text);
  return match ? [match.index, match.index + match[0].length] : null;
}

// Cut at whitespace so the passage starts and ends on whole words.
function windowOf(text, start, end) {
  let from = Math.max(0, start - CONTEXT_CHARS);
  let to = Math.min(text.length, end + CONTEXT_CHARS);
  if (from > 0) from = text.indexOf(" ", from) + 1 || start;
  if (to < text.length) to = Math.max(text.lastIndexOf(" ", to), end);
  return [from, to];
}

function passageNodes(text, quote) {
  const span = findQuote(text, quote);
  if (!span) {
    return [el("mark", {}, quote), el("span", { class: "note" }, " (not found verbatim in the stored article)")];
  }
  const [start, end] = span;
  const [from, to] = windowOf(text, start, end);
  return [
    from > 0 ? "… " : "",
    text.slice(from, start),
    el("mark", {}, text.slice(start, end)),
    text.slice(end, to),
    to < text.length ? " …" : "",
  ];
}

function originalLink(citation) {
  if (safeUrl(citation.url)) return link(`Read the original at ${citation.source}`, citation.url, { class: "original" });
  return el("span", { class: "note" },
    citation.url ? "No link: the stored URL is not a web (http or https) address." : "No original URL was stored.");
}

async function article(id) {
  if (!articles.has(id)) {
    articles.set(id, getJSON(`/v1/articles/${encodeURIComponent(id)}`).catch((error) => {
      articles.delete(id);
      throw error;
    }));
  }
  return articles.get(id);
}

export async function openCitation(citation) {
  const dialog = document.getElementById("quote-panel");
  const passage = document.getElementById("quote-passage");
  document.getElementById("quote-title").textContent = citation.title;
  document.getElementById("quote-meta").textContent =
    `[${citation.n}] ${citation.source} · ${formatDate(citation.published_at)}`;
  clear(document.getElementById("quote-link"), originalLink(citation));
  clear(passage, el("mark", {}, citation.quote), el("span", { class: "note" }, " Loading the article…"));
  passage.setAttribute("aria-busy", "true");
  if (!dialog.open) dialog.showModal();
  try {
    const stored = await article(citation.article_id);
    clear(passage, passageNodes(stored.text || "", citation.quote));
  } catch (error) {
    clear(passage, el("mark", {}, citation.quote), el("span", { class: "note" }, ` (article not loaded: ${error.message})`));
  } finally {
    passage.removeAttribute("aria-busy");
  }
}

export function citeButton(citation) {
  return el("button", {
    type: "button",
    class: "cite",
    "aria-label": `Source ${citation.n}: ${citation.title}, ${citation.source}`,
    "aria-haspopup": "dialog",
    onclick: () => openCitation(citation),
  }, `[${citation.n}]`);
}

export function setupPanel() {
  const dialog = document.getElementById("quote-panel");
  document.getElementById("quote-close").addEventListener("click", () => dialog.close());
  // A click on the backdrop (outside the panel's box) closes it too.
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) {
      const box = dialog.getBoundingClientRect();
      const inside = event.clientX >= box.left && event.clientX <= box.right
        && event.clientY >= box.top && event.clientY <= box.bottom;
      if (!inside) dialog.close();
    }
  });
}
