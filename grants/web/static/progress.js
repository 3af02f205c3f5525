// Follows a job without reloading the page: the status region is fetched again every
// two seconds and replaced only when its words change (a screen reader then reads the
// new status once); the whole page is loaded again when the job has finished.
document.querySelectorAll("[data-progress]").forEach((region) => {
  const poll = async () => {
    let fresh = null;
    try {
      const response = await fetch(region.dataset.progress);
      if (response.ok) {
        const html = await response.text();
        fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-finished]");
      }
    } catch (error) {
      // The server is briefly away: try again at the next turn.
    }
    if (fresh && fresh.dataset.finished === "true") {
      window.location.reload();
      return;
    }
    if (fresh && fresh.textContent !== region.textContent) {
      region.innerHTML = fresh.innerHTML;
    }
    setTimeout(poll, 2000);
  };
  setTimeout(poll, 2000);
});
