// How current the index is (newest article, last feed poll), from /healthz, so a reader can judge
// what "this week" covers. Text nodes only.

const REFRESH_MS = 60_000;

function describe(health) {
  const newest = health.newest_article ? `newest article ${health.newest_article}` : "no articles yet";
  const polled = health.last_poll
    ? `feeds last polled ${health.last_poll.replace("T", " ").replace("+00:00", " UTC")}`
    : "no feed polled yet";
  return `Index: ${newest}; ${polled}.`;
}

export function setupFreshness() {
  const line = document.getElementById("freshness");
  const refresh = async () => {
    try {
      const response = await fetch("/healthz", { headers: { Accept: "application/json" } });
      if (response.ok) line.textContent = describe(await response.json());
    } catch {
      // Server unreachable for a moment: keep the last line rather than blank it.
    }
  };
  refresh();
  setInterval(refresh, REFRESH_MS);
}
