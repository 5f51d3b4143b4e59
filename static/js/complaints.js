// Complaints pages: the duplicate suggestions beside the staff intake form (print buttons: portal.js).

// The intake form asks the portal for likely duplicates of what is typed so far (CMP-1); without
// JavaScript the "Check for duplicates" button does the same with a full page.
const intake = document.querySelector("form[data-duplicates-url]");
if (intake) {
  const target = document.getElementById("duplicate-suggestions");
  const watched = ["phone", "plate", "lane", "incident_at", "description"];
  let timer = null;
  const refresh = () => {
    const params = new URLSearchParams();
    watched.forEach((name) => {
      const field = intake.elements.namedItem(name);
      if (field && field.value) params.set(name, field.value);
    });
    if (![...params.keys()].length) return;
    fetch(`${intake.dataset.duplicatesUrl}?${params}`, { headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : null))
      .then((data) => {
        if (data && target) target.innerHTML = data.html;
      })
      .catch(() => {});
  };
  watched.forEach((name) => {
    const field = intake.elements.namedItem(name);
    if (field) {
      field.addEventListener("change", () => {
        clearTimeout(timer);
        timer = setTimeout(refresh, 300);
      });
    }
  });
}
