// DOM helpers. Text from articles and answers only ever becomes Text nodes or attribute values:
// nothing here parses HTML, and links are set only for http(s) URLs.

export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "href" || key === "src" || key === "style") throw new Error(`use link() for ${key}`);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child !== undefined && child !== null && child !== false) node.append(child);
  }
  return node;
}

export function safeUrl(url) {
  if (typeof url !== "string" || !url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
  } catch {
    return null;
  }
}

// A link to an article's original page (new tab, no referrer), or plain text when the URL is unsafe.
export function link(text, url, props = {}) {
  const href = safeUrl(url);
  if (!href) return el("span", props, text);
  const anchor = el("a", { ...props, target: "_blank", rel: "noopener noreferrer" }, text);
  anchor.href = href;
  return anchor;
}

export function clear(node, ...children) {
  node.replaceChildren(...children.flat(Infinity).filter((c) => c !== undefined && c !== null && c !== false));
}

export function plural(count, word, many = `${word}s`) {
  return `${count} ${count === 1 ? word : many}`;
}

export function formatDate(iso) {
  if (!iso) return "";
  const day = new Date(`${iso}T12:00:00Z`);
  if (Number.isNaN(day.getTime())) return iso;
  return day.toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
}
