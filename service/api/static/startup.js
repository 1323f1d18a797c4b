// "Starting" until the server says ready: /healthz reports 'loading' while `newsdesk serve` loads the
// model and the index at start-up. Questions asked meanwhile wait for it, so they are slow, not lost.
// Text nodes only.

const POLL_MS = 1000;

function describe(health) {
  const loaded = Object.keys(health.loaded_s || {});
  const done = loaded.length ? ` (loaded so far: ${loaded.join(", ")})` : "";
  return `Starting: loading the model and the index${done}. Questions asked now wait until it is ready.`;
}

export async function watchStartup(banner) {
  for (;;) {
    try {
      const response = await fetch("/healthz", { headers: { Accept: "application/json" } });
      if (response.ok) {
        const health = await response.json();
        if (health.status !== "loading") {
          banner.hidden = true;
          banner.textContent = "";
          document.documentElement.dataset.server = "ready";
          return;
        }
        banner.textContent = describe(health);
        banner.hidden = false;
        document.documentElement.dataset.server = "starting";
      }
    } catch {
      // Not answering yet: keep saying starting.
      banner.textContent = "Starting: waiting for the server…";
      banner.hidden = false;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

watchStartup(document.getElementById("startup"));
