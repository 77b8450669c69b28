/**
 * The page's one script, served as `/assets/ui.js` (the Content-Security-Policy allows no
 * inline script): search as you type on the catalogue (the server ranks and renders the
 * cards; the script swaps them in and keeps the address bar in step) and the "Copy"
 * buttons of the commands. Without it the search form still works by submitting.
 *
 * @module
 */

/** The script text. */
export const CLIENT_SCRIPT = `"use strict";
(() => {
  const form = document.querySelector("form.search");
  const results = document.getElementById("results");
  const count = document.getElementById("count");
  if (form && results && count) {
    let timer = 0;
    let inflight = null;
    let asked = "";
    const update = async () => {
      const params = new URLSearchParams(new FormData(form));
      for (const [key, value] of [...params]) if (value === "") params.delete(key);
      const query = params.toString();
      if (query === asked) return;
      asked = query;
      if (inflight) inflight.abort();
      inflight = new AbortController();
      try {
        const response = await fetch("/search?" + query, {
          signal: inflight.signal,
          headers: { accept: "application/json" },
        });
        if (!response.ok) return;
        const data = await response.json();
        results.innerHTML = data.html;
        count.textContent = data.count;
        history.replaceState(null, "", query === "" ? "/" : "/?" + query);
        document.body.dataset.searched = query;
      } catch (error) {
        if (error.name !== "AbortError") count.textContent = "Search failed: " + error.message;
      }
    };
    const soon = () => {
      clearTimeout(timer);
      timer = setTimeout(update, 80);
    };
    form.addEventListener("input", soon);
    form.addEventListener("change", soon);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      update();
    });
    asked = new URLSearchParams(location.search).toString();
  }
  for (const button of document.querySelectorAll("button[data-copy]")) {
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(button.dataset.copy);
        button.textContent = "Copied";
      } catch {
        button.textContent = "Select and copy";
      }
    });
  }
})();
`;
