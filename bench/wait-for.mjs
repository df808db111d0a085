// Waits for a server the bench started to answer (below 500) at `url`, for up to 30 s.
export async function waitFor(url, headers = {}) {
  for (let i = 0; i < 300; i++) {
    try {
      const r = await fetch(url, { headers });
      if (r.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}
