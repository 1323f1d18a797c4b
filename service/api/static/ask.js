// Ask view: each sentence appears once the service has verified it, with its citations; the final
// answer event then shows the whole answer, and any sentence that failed, struck out, after it.

import { postStream } from "./api.js";
import { clear, el, plural } from "./dom.js";
import { byNumber, sentenceNode, sentencesNode, sourceList, unsupportedList } from "./sentences.js";

let running = null;

function rangeText(range) {
  if (!range || (!range.start && !range.end)) return "all dates";
  const span = range.start === range.end ? range.start : `${range.start || "…"} to ${range.end || "…"}`;
  return range.phrase && range.phrase !== "request" ? `${span} (from “${range.phrase}”)` : span;
}

function metaLine(answer) {
  const seconds = ((answer.timings?.total_ms || 0) / 1000).toFixed(1);
  return el("p", { class: "meta" },
    `Dates searched: ${rangeText(answer.date_range)} · ${answer.model} · ${seconds} s`);
}

function refusedNodes(answer) {
  const closest = answer.closest_passages || [];
  const why = answer.refusal_reason ? `Why: ${answer.refusal_reason}.` : "No passage in the articles supports an answer.";
  return [
    el("div", { class: "refused", role: "note" },
      el("h3", {}, "The articles do not say."),
      el("p", {}, `${why} Newsdesk gives no answer rather than a guess.`),
      closest.length ? null : el("p", {}, "No articles matched the question and its dates.")),
    answer.sentences.length ? el("div", { class: "drafts" },
      el("p", { class: "meta" }, "What the model wrote, which is not an answer:"),
      sentencesNode(answer.sentences, byNumber(closest))) : null,
    sourceList(closest, "Closest passages"),
  ];
}

export function answerNodes(answer) {
  if (answer.refused) return [...refusedNodes(answer), metaLine(answer)];
  const citations = byNumber(answer.citations);
  const dropped = answer.sentences.filter((s) => !s.verified);
  return [
    answer.degraded ? el("p", { class: "notice", role: "note" },
      "The model was unavailable, so this answer quotes the best-matching passages directly.") : null,
    sentencesNode(answer.sentences.filter((s) => s.verified), citations, "p"),
    (answer.unanswered_parts || []).length ? el("div", { class: "notice", role: "note" },
      el("p", {}, "Not answered here:"),
      el("ul", {}, ...answer.unanswered_parts.map((part) => el("li", {}, part)))) : null,
    dropped.length ? el("p", { class: "meta" },
      `${plural(dropped.length, "sentence")} could not be verified against the articles and ${dropped.length === 1 ? "is" : "are"} listed below, struck out.`) : null,
    sourceList(answer.citations, "Sources"),
    unsupportedList(dropped),
    metaLine(answer),
  ];
}

function requestBody(form) {
  const body = { question: form.querySelector("#question").value.trim(), stream: true };
  for (const [id, field] of [["date-from", "date_from"], ["date-to", "date_to"], ["as-of", "as_of"]]) {
    const value = form.querySelector(`#${id}`).value;
    if (value) body[field] = value;
  }
  return body;
}

async function ask(form, out, status) {
  running?.abort();
  const controller = new AbortController();
  running = controller;
  const body = requestBody(form);
  // Verified sentences only: the model's draft is never shown.
  const draft = el("p", { class: "streaming", "data-testid": "streaming" });
  clear(out, draft);
  out.setAttribute("aria-busy", "true");
  status.textContent = "Searching the articles…";
  let answered = false;
  try {
    await postStream("/v1/ask", body, (event, data) => {
      if (event === "sentence") {
        status.textContent = "Verified sentence by sentence; still writing…";
        if (draft.childNodes.length) draft.append(" ");
        draft.append(sentenceNode({ ...data, verified: true, citations: data.citations.map((c) => c.n) },
          byNumber(data.citations)));
      } else if (event === "answer") {
        answered = true;
        clear(out, answerNodes(data));
        status.textContent = data.refused ? "No supported answer." : "Answer verified against the articles.";
      } else if (event === "error") {
        throw new Error(data?.detail || "the model failed");
      }
    }, { signal: controller.signal });
    if (!answered) throw new Error("the answer stream ended before the answer");
  } catch (error) {
    if (error.name === "AbortError") return;
    status.textContent = "";
    clear(out, el("p", { class: "error", role: "alert" }, `Could not answer: ${error.message}`));
  } finally {
    if (running === controller) {
      running = null;
      out.removeAttribute("aria-busy");
    }
  }
}

export function setupAsk() {
  const form = document.getElementById("ask-form");
  const out = document.getElementById("answer");
  const status = document.getElementById("ask-status");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    ask(form, out, status);
  });
}
