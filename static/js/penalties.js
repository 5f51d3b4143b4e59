// Penalties pages: small enhancements; every page works without JavaScript.
(() => {
  const form = document.getElementById("proposal-form");
  if (!form) return;

  // Show only the fields of the rule chosen (without JavaScript every group is shown).
  const groups = form.querySelectorAll("[data-rule-fields]");
  const chosenRule = () => {
    const checked = form.querySelector("input[name='rule']:checked");
    return checked ? checked.value : "";
  };
  const showGroups = () => {
    const rule = chosenRule();
    groups.forEach((group) => {
      group.hidden = Boolean(rule) && group.dataset.ruleFields !== rule;
    });
  };

  // The live preview: the server computes the fine with the rule (the same fragment the
  // "Preview" button renders); this only asks for it as the fields change.
  const target = document.getElementById("proposal-preview");
  const url = form.dataset.previewUrl;
  let timer = null;
  let latest = 0;
  const refresh = () => {
    const data = new FormData(form);
    data.delete("csrfmiddlewaretoken");
    const params = new URLSearchParams(data);
    const request = ++latest;
    fetch(`${url}?${params}`, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : null))
      .then((body) => {
        if (body && body.html && request === latest) target.innerHTML = body.html;
      })
      .catch(() => {});
  };
  const schedule = () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 300);
  };

  form.addEventListener("change", () => {
    showGroups();
    schedule();
  });
  form.addEventListener("input", schedule);
  form.addEventListener("chooser:change", schedule); // a person chosen in the search box
  showGroups();
})();
