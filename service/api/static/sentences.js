// Verified sentences with clickable citation markers; shared by answers and digests.

import { el } from "./dom.js";
import { citeButton } from "./quote.js";

export function byNumber(citations) {
  return new Map((citations || []).map((c) => [c.n, c]));
}

// One sentence: its text, then a button per citation. Unverified sentences are struck through and
// labelled, so a reader never takes them for part of the answer.
export function sentenceNode(sentence, citations) {
  const verified = sentence.verified ?? sentence.citations.length > 0;
  const node = el("span", { class: verified ? "sentence" : "sentence unverified" });
  if (!verified) {
    node.append(el("span", { class: "badge bad" }, "not supported by the articles, dropped"), " ");
    node.append(el("s", {}, sentence.text));
    return node;
  }
  node.append(sentence.text);
  for (const n of sentence.citations) {
    const citation = citations.get(n);
    node.append(" ", citation ? citeButton(citation) : `[${n}]`);
  }
  if (sentence.corrected) {
    node.append(" ", el("span", { class: "badge", title: "The service changed or added this sentence's citation." },
      "citation corrected"));
  }
  return node;
}

export function sentencesNode(sentences, citations, tag = "p") {
  const block = el(tag, { class: "sentences" });
  sentences.forEach((sentence, index) => {
    if (index) block.append(" ");
    block.append(sentenceNode(sentence, citations));
  });
  return block;
}

// Sentences the verifier dropped, listed after an answer: struck out, never part of its text.
export function unsupportedList(sentences) {
  if (!sentences.length) return null;
  return el("section", { class: "drafts", "data-testid": "unsupported" },
    el("h3", {}, "Not supported by the articles"),
    el("ul", {}, sentences.map((s) => el("li", {}, el("s", {}, s.text)))));
}

// Text with [n] markers (as in a digest's "new since" line): markers become citation buttons.
export function textWithMarkers(text, citations) {
  const nodes = [];
  let last = 0;
  for (const match of text.matchAll(/\[(\d+)\]/g)) {
    const citation = citations.get(Number(match[1]));
    if (!citation) continue;
    nodes.push(text.slice(last, match.index), citeButton(citation));
    last = match.index + match[0].length;
  }
  nodes.push(text.slice(last));
  return nodes;
}

export function sourceList(citations, heading) {
  if (!citations.length) return null;
  return el("section", { class: "sources" },
    el("h3", {}, heading),
    el("ol", {}, citations.map((c) => el("li", {},
      citeButton(c), " ",
      el("span", { class: "title" }, c.title),
      el("span", { class: "meta" }, ` — ${c.source}, ${c.published_at}`),
      el("blockquote", {}, c.quote)))));
}
