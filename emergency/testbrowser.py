"""Browser-test helpers shared by every app's Playwright tests."""

# While the officer's service worker installs, it fetches the pages it caches with the person's
# cookies; a response arriving after the test cleared the cookies sets the old CSRF cookie again,
# under the login form of the next person (a 403 on its submit). Wait for the install to end.
_INSTALLED = """() => !navigator.serviceWorker ? true : navigator.serviceWorker.getRegistration().then((r) => {
  const worker = r && (r.installing || r.waiting);
  if (!worker) { return true; }
  return new Promise((done) => {
    worker.addEventListener("statechange", () => {
      if (worker.state === "activated" || worker.state === "redundant") { done(true); }
    });
    setTimeout(() => done(true), 10000);
  });
})"""


def wait_for_service_worker(page) -> None:
    """Return once no service worker of the page is installing (or after 10 s)."""
    if page.url.startswith("http"):
        page.evaluate(_INSTALLED)
