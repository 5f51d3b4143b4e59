// Search-as-you-type choosers (tollservice/core/choosers.py): a text box that asks the server for
// matching people as one types and keeps the chosen one's id beside it. Without JavaScript the
// box still works: the server resolves the name or number typed when the form is sent.
//
// Markup (rendered by ChooserWidget):
//   <div class="chooser" data-chooser-url="/choose/staff/?team=3" data-chooser-multiple="0">
//     <div class="chooser-chips">…chosen rows, when multiple…</div>
//     <input type="search" name="x"> <input type="hidden" name="x_pk">
//     <div class="list-group chooser-results" hidden></div>
//   </div>
// Choosing or removing a row dispatches "chooser:change" (bubbling) on the .chooser element;
// typing in the box is an ordinary "input" (and, on leaving it, "change") event.
(() => {
  const DELAY_MS = 250;

  const chip = (name, item) => {
    const span = document.createElement("span");
    span.className = "badge text-bg-secondary chooser-chip";
    span.dataset.chooserChip = "";
    span.append(document.createTextNode(`${item.label} ${item.detail || ""}`.trim() + " "));
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = `${name}_pk`;
    input.value = item.id;
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "btn-close btn-close-white ms-1";
    remove.dataset.chooserRemove = "";
    remove.setAttribute("aria-label", "×");
    span.append(input, remove);
    return span;
  };

  const attach = (root) => {
    if (root.dataset.chooserReady) return;
    root.dataset.chooserReady = "1";
    const url = root.dataset.chooserUrl;
    const multiple = root.dataset.chooserMultiple === "1";
    const box = root.querySelector("input[type=search]");
    const results = root.querySelector(".chooser-results");
    const chips = root.querySelector(".chooser-chips");
    const hidden = multiple ? null : root.querySelector(`input[type=hidden][name="${box.name}_pk"]`);
    let timer = null;
    let latest = 0;
    let items = [];
    let active = -1;

    const changed = () => root.dispatchEvent(new CustomEvent("chooser:change", { bubbles: true }));
    const close = () => {
      results.hidden = true;
      results.replaceChildren();
      items = [];
      active = -1;
    };
    const choose = (item) => {
      if (multiple) {
        const known = [...chips.querySelectorAll("input[type=hidden]")].some((i) => i.value === String(item.id));
        if (!known) chips.append(chip(box.name, item));
        box.value = "";
      } else {
        box.value = `${item.label} ${item.detail || ""}`.trim();
        hidden.value = item.id;
      }
      close();
      changed();
    };
    const highlight = (index) => {
      const buttons = results.querySelectorAll("button");
      buttons.forEach((button, i) => button.classList.toggle("active", i === index));
      active = index;
    };
    const render = (rows) => {
      items = rows;
      results.replaceChildren(
        ...rows.map((item, index) => {
          const button = document.createElement("button");
          button.type = "button";
          button.className = "list-group-item list-group-item-action py-2";
          button.setAttribute("role", "option");
          const strong = document.createElement("strong");
          strong.textContent = item.label;
          const small = document.createElement("small");
          small.className = "text-body-secondary ms-2";
          small.textContent = item.detail || "";
          button.append(strong, small);
          button.addEventListener("mousedown", (event) => event.preventDefault()); // keep the focus
          button.addEventListener("click", () => choose(item));
          button.dataset.index = index;
          return button;
        }),
      );
      results.hidden = rows.length === 0;
      active = -1;
    };
    const search = () => {
      const term = box.value.trim();
      if (!term) {
        close();
        return;
      }
      const request = ++latest;
      const separator = url.includes("?") ? "&" : "?";
      fetch(`${url}${separator}q=${encodeURIComponent(term)}`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then((response) => (response.ok ? response.json() : null))
        .then((body) => {
          if (body && request === latest) render(body.results || []);
        })
        .catch(() => {}); // offline: the text typed is resolved when the form is sent
    };

    box.addEventListener("input", () => {
      if (hidden) hidden.value = ""; // typed over: the text is resolved unless a match is chosen
      window.clearTimeout(timer);
      timer = window.setTimeout(search, DELAY_MS);
    });
    box.addEventListener("keydown", (event) => {
      if (results.hidden || !items.length) return;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight((active + 1) % items.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight((active - 1 + items.length) % items.length);
      } else if (event.key === "Enter") {
        event.preventDefault(); // never send the form half chosen
        choose(items[Math.max(active, 0)]);
      } else if (event.key === "Escape") {
        close();
      }
    });
    box.addEventListener("blur", () => window.setTimeout(close, 150));
    if (chips) {
      chips.addEventListener("click", (event) => {
        const remove = event.target.closest("[data-chooser-remove]");
        if (!remove) return;
        remove.closest("[data-chooser-chip]").remove();
        changed();
      });
    }
  };

  const attachAll = (scope) => scope.querySelectorAll(".chooser[data-chooser-url]").forEach(attach);
  window.portalChooser = { attach, attachAll };
  attachAll(document);
})();
