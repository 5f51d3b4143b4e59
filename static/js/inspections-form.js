// The phone form of an inspection (templates/inspections/fill.html).
//
// The page is a plain form: every item is a row of fields (row-<n>-verdict, -occurrences, -grave,
// -staff, -note …) that "Save" sends as they are. This script makes it a draft kept on the device:
// each change is written to IndexedDB (photos included, as blobs) and synced to the server
// whenever there is a connection — all rows at once, with the ids of those already saved — and
// the server answers with the total computed by the portal's one scoring function. A lost
// signal, a reload or a closed tab loses nothing; filing stays a separate, deliberate step.
(() => {
  const form = document.getElementById("inspection-form");
  if (!form || !window.inspectionDrafts) return;
  const drafts = window.inspectionDrafts;
  const inspection = form.dataset.inspection;
  const statusLine = document.getElementById("sync-status");
  const totalBar = document.getElementById("live-total");
  const fileLink = document.getElementById("review-and-file");
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const SYNC_DELAY_MS = 700;
  const RETRY_MS = 30000;
  const PHOTO_MAX_SIDE = 1600;
  const THUMB_SIDE = 240;

  let nextIndex = Number(form.dataset.nextIndex) || 0;
  let editSeq = 0; // changes made on this page
  let syncedSeq = 0; // the last change the server has
  let syncing = false;
  let locked = false;
  let failed = ""; // the server refused the last sync: its reason
  let offline = false;
  let timer = null;
  let pendingPhotos = 0;

  const field = (row, name) => row.querySelector(`[data-field="${name}"]`);
  const rows = () => [...form.querySelectorAll("[data-row]")];
  const verdictOf = (row) => (row.querySelector('[data-field="verdict"]:checked') || {}).value || "compliant";
  const newKey = () => `n${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const keyOf = (row) => row.dataset.key || (row.dataset.key = newKey());
  const dirty = () => editSeq !== syncedSeq;

  // --- Reading and writing the form -----------------------------------------------------------

  const serialize = () => ({
    rows: rows().map((row) => ({
      key: keyOf(row),
      pk: field(row, "pk").value ? Number(field(row, "pk").value) : null,
      item: Number(field(row, "item").value),
      verdict: verdictOf(row),
      occurrences: Number(field(row, "occurrences").value || 0),
      grave: Boolean(field(row, "grave") && field(row, "grave").checked),
      staff_pk: field(row, "staff_pk").value ? Number(field(row, "staff_pk").value) : null,
      staff: field(row, "staff").value,
      note: field(row, "note").value,
    })),
    summary: form.querySelector("[data-summary]").value,
  });

  const renumber = (row, index) => {
    row.querySelectorAll("[name^='row-']").forEach((input) => {
      input.name = input.name.replace(/^row-\d+-/, `row-${index}-`);
    });
    row.querySelectorAll("[id]").forEach((element) => {
      const old = element.id;
      element.id = old.replace(/-\d+(-|$)/, `-${index}$1`);
      row.querySelectorAll(`label[for="${old}"]`).forEach((label) => (label.htmlFor = element.id));
    });
  };

  const blankRow = (card) => {
    const row = card.querySelector("[data-row]").cloneNode(true);
    renumber(row, nextIndex++);
    delete row.dataset.key;
    field(row, "pk").value = "";
    row.querySelectorAll('[data-field="verdict"]').forEach((radio) => (radio.checked = radio.value === "compliant"));
    field(row, "occurrences").value = "";
    if (field(row, "grave")) field(row, "grave").checked = false;
    field(row, "staff").value = "";
    field(row, "staff_pk").value = "";
    field(row, "note").value = "";
    row.querySelector("[data-photos]").replaceChildren();
    const chooser = row.querySelector(".chooser");
    delete chooser.dataset.chooserReady;
    row.querySelector(".chooser-results").replaceChildren();
    row.classList.add("border-top", "pt-2", "mt-2");
    if (window.portalChooser) window.portalChooser.attach(chooser);
    return row;
  };

  const fill = (row, data) => {
    row.dataset.key = data.key || newKey();
    field(row, "pk").value = data.pk || "";
    row.querySelectorAll('[data-field="verdict"]').forEach((radio) => (radio.checked = radio.value === data.verdict));
    field(row, "occurrences").value = data.occurrences || "";
    if (field(row, "grave")) field(row, "grave").checked = Boolean(data.grave);
    field(row, "staff").value = data.staff || "";
    field(row, "staff_pk").value = data.staff_pk || "";
    field(row, "note").value = data.note || "";
  };

  // Put a draft kept on the device back into the form (its rows replace the server's).
  const apply = (draft) => {
    const byItem = new Map();
    draft.rows.forEach((data) => {
      if (!byItem.has(data.item)) byItem.set(data.item, []);
      byItem.get(data.item).push(data);
    });
    form.querySelectorAll(".item-card").forEach((card) => {
      const wanted = byItem.get(Number(card.dataset.item)) || [];
      const holder = card.querySelector("[data-rows]");
      let present = [...holder.querySelectorAll("[data-row]")];
      while (present.length < wanted.length) {
        holder.append(blankRow(card));
        present = [...holder.querySelectorAll("[data-row]")];
      }
      present.slice(Math.max(wanted.length, 1)).forEach((row) => row.remove());
      if (wanted.length) wanted.forEach((data, index) => fill(present[index], data));
    });
    form.querySelector("[data-summary]").value = draft.summary || "";
  };

  // --- What each row shows ---------------------------------------------------------------------

  const refreshRow = (row) => {
    const breached = verdictOf(row) === "breached";
    row.querySelector("[data-breach]").hidden = !breached;
    const occurrences = field(row, "occurrences");
    if (breached && !Number(occurrences.value)) occurrences.value = 1;
    const card = row.closest(".item-card");
    const many = card.querySelectorAll("[data-row]").length > 1;
    row.querySelector("[data-remove-row]").hidden = !many;
    card.classList.toggle("border-danger", [...card.querySelectorAll("[data-row]")].some((r) => verdictOf(r) === "breached"));
  };
  const refreshAll = () => rows().forEach(refreshRow);

  const show = (state, extra = "") => {
    const icons = {
      saved: "bi-cloud-check",
      saving: "bi-arrow-repeat",
      offline: "bi-wifi-off",
      pending: "bi-cloud-arrow-up",
      error: "bi-exclamation-triangle",
      locked: "bi-lock",
    };
    const icon = document.createElement("i");
    icon.className = `bi ${icons[state]}`;
    let text = statusLine.dataset[state] || state;
    if (pendingPhotos && state !== "locked") text += ` · ${pendingPhotos} ${statusLine.dataset.photosPending}`;
    if (extra) text += `: ${extra}`;
    statusLine.replaceChildren(icon, document.createTextNode(` ${text}`));
    statusLine.className = `small sync-status sync-${state}`;
    totalBar.classList.toggle("stale", dirty());
    totalBar.title = dirty() ? statusLine.dataset.staleScore : "";
  };
  const status = () => {
    if (locked) return show("locked");
    if (syncing) return show("saving");
    if (failed) return show("error", failed);
    if (offline || !navigator.onLine) return show(dirty() || pendingPhotos ? "offline" : "saved");
    return show(dirty() || pendingPhotos ? "pending" : "saved");
  };

  const showScore = (score) => {
    totalBar.querySelector("[data-score]").textContent = score.score;
    totalBar.querySelector("[data-deduction]").textContent = score.deduction;
    totalBar.querySelector("[data-raw]").textContent = score.raw_deduction;
    totalBar.querySelector("[data-raw-wrap]").hidden = score.raw_deduction === score.deduction;
    totalBar.querySelector("[data-vetoed]").hidden = !score.vetoed;
    form.querySelectorAll(".item-card").forEach((card) => {
      const deducted = score.items[card.dataset.item];
      card.querySelector("[data-item-deducted]").textContent = deducted && Number(deducted) > 0 ? `−${deducted}` : "";
    });
  };

  // --- Keeping the draft on the device -------------------------------------------------------------

  const keep = () =>
    drafts
      .putDraft({ inspection, ...serialize(), dirty: dirty(), keptAt: new Date().toISOString() })
      .catch(() => {});

  // What the server holds, as far as this page knows: a change event that changes nothing (leaving
  // a box already synced as it was typed) is no change.
  let syncedContent = "";
  const content = () => {
    const { rows: all, summary } = serialize();
    return JSON.stringify([all.map(({ key, pk, ...fields }) => fields), summary]);
  };

  const changed = () => {
    if (locked) return;
    if (!dirty() && content() === syncedContent) return;
    editSeq += 1;
    failed = "";
    keep();
    status();
    window.clearTimeout(timer);
    timer = window.setTimeout(sync, SYNC_DELAY_MS);
  };

  // --- Syncing with the server ------------------------------------------------------------------

  const post = (url, body, headers = {}) =>
    fetch(url, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, Accept: "application/json", ...headers },
    });

  const sync = async () => {
    window.clearTimeout(timer);
    if (syncing || locked) return;
    if (!dirty()) {
      await uploadPhotos();
      return;
    }
    syncing = true;
    const sent = editSeq;
    const sentContent = content();
    status();
    try {
      const response = await post(`${form.dataset.syncUrl}`, JSON.stringify(serialize()), {
        "Content-Type": "application/json",
      });
      const body = (response.headers.get("Content-Type") || "").includes("json") ? await response.json() : null;
      offline = false;
      if (response.ok && body && body.ok) {
        body.rows.forEach(({ key, pk }) => {
          const row = form.querySelector(`[data-row][data-key="${CSS.escape(key)}"]`);
          if (row) field(row, "pk").value = pk;
        });
        showScore(body.score);
        syncedSeq = sent;
        syncedContent = sentContent;
        failed = "";
      } else if (response.status === 409 && body && body.locked) {
        locked = true;
        form.querySelectorAll("input, textarea, button").forEach((el) => (el.disabled = true));
        drafts.forget(inspection).catch(() => {});
      } else {
        // Refused (a name that matches several people …), or signed out: kept here, said on screen.
        failed = (body && body.error) || `${response.status}`;
      }
    } catch (error) {
      offline = true; // no connection: the draft waits on the device
    } finally {
      syncing = false;
    }
    await keep();
    status();
    if (!locked && !failed && !offline) {
      if (dirty()) timer = window.setTimeout(sync, SYNC_DELAY_MS);
      else await uploadPhotos();
    }
  };

  // --- Photos ---------------------------------------------------------------------------------

  const loadImage = (blob) =>
    new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => {
        const image = new Image();
        image.onload = () => resolve({ image, dataUrl: reader.result });
        image.onerror = reject;
        image.src = reader.result;
      };
      reader.onerror = reject;
      reader.readAsDataURL(blob);
    });

  const scaled = (image, side, quality) =>
    new Promise((resolve) => {
      const ratio = Math.min(1, side / Math.max(image.naturalWidth, image.naturalHeight));
      const canvas = document.createElement("canvas");
      canvas.width = Math.round(image.naturalWidth * ratio);
      canvas.height = Math.round(image.naturalHeight * ratio);
      canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
      canvas.toBlob((blob) => resolve({ blob, canvas }), "image/jpeg", quality);
    });

  // A phone photo is made smaller (and loses its location data) before it is kept and sent.
  const prepare = async (file) => {
    const { image } = await loadImage(file);
    const { blob } = await scaled(image, PHOTO_MAX_SIDE, 0.85);
    const { canvas } = await scaled(image, THUMB_SIDE, 0.7);
    return { blob: blob || file, thumb: canvas.toDataURL("image/jpeg", 0.7) };
  };

  const thumbnail = (photo) => {
    const wrap = document.createElement("span");
    wrap.className = "photo-pending position-relative";
    wrap.dataset.localPhoto = photo.id;
    const image = document.createElement("img");
    image.src = photo.thumb;
    image.alt = "";
    image.className = "evidence-thumb rounded border";
    wrap.append(image);
    if (!photo.uploaded) {
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "btn-close position-absolute top-0 end-0 bg-white";
      remove.dataset.removePhoto = photo.id;
      remove.setAttribute("aria-label", "×");
      wrap.append(remove);
      const badge = document.createElement("i");
      badge.className = "bi bi-cloud-arrow-up position-absolute bottom-0 start-0 bg-white rounded px-1";
      wrap.append(badge);
    }
    return wrap;
  };

  const placePhoto = (photo) => {
    const row = form.querySelector(`[data-row][data-key="${CSS.escape(photo.rowKey || "")}"]`);
    const strip = row ? row.querySelector("[data-photos]") : null;
    if (!strip) return;
    const old = strip.querySelector(`[data-local-photo="${photo.id}"]`);
    if (old) old.replaceWith(thumbnail(photo));
    else strip.append(thumbnail(photo));
  };

  const countPending = async () => {
    const photos = (await drafts.photos(inspection).catch(() => [])) || [];
    pendingPhotos = photos.filter((p) => !p.uploaded).length;
    return photos;
  };

  let uploading = false;
  const uploadPhotos = async () => {
    if (uploading || locked) return;
    uploading = true;
    try {
      const photos = await countPending();
      for (const photo of photos.filter((p) => !p.uploaded)) {
        const row = form.querySelector(`[data-row][data-key="${CSS.escape(photo.rowKey || "")}"]`);
        const pk = row ? field(row, "pk").value : "";
        if (row && !pk) continue; // its line is not on the server yet: after the next sync
        const data = new FormData();
        data.append("photo", photo.blob, photo.name);
        if (pk) data.append("finding", pk);
        let response;
        try {
          response = await post(form.dataset.photoUrl, data);
        } catch (error) {
          offline = true;
          break;
        }
        const body = (response.headers.get("Content-Type") || "").includes("json") ? await response.json() : null;
        if (response.ok && body && body.ok) {
          // On the server now (a reload shows it from there): the device's copy is no longer needed.
          photo.uploaded = body.id;
          await drafts.deletePhoto(photo.id);
          placePhoto(photo);
        } else if (response.status === 400) {
          failed = (body && body.error) || form.dataset.photoError;
          await drafts.deletePhoto(photo.id);
          const shown = form.querySelector(`[data-local-photo="${photo.id}"]`);
          if (shown) shown.remove();
        } else {
          failed = (body && body.error) || `${response.status}`;
          break;
        }
      }
      await countPending();
    } finally {
      uploading = false;
      status();
    }
  };

  form.addEventListener("change", async (event) => {
    const input = event.target.closest("[data-photo-input]");
    if (!input || !input.files.length) return;
    const row = input.closest("[data-row]");
    for (const file of input.files) {
      let prepared;
      try {
        prepared = await prepare(file);
      } catch (error) {
        prepared = { blob: file, thumb: "" }; // not drawable here: the server decides
      }
      const id = newKey();
      const extension = prepared.blob.type === "image/jpeg" ? "jpg" : (file.name.split(".").pop() || "jpg");
      const photo = {
        id,
        inspection,
        rowKey: keyOf(row),
        blob: prepared.blob,
        thumb: prepared.thumb,
        name: `draft-${id}.${extension}`.slice(0, 100),
        uploaded: null,
      };
      await drafts.putPhoto(photo);
      placePhoto(photo);
    }
    input.value = "";
    await countPending();
    status();
    // A line not yet on the server is synced first (the photo needs its id); otherwise it goes now.
    if (dirty()) sync();
    else uploadPhotos();
  });

  form.addEventListener("click", async (event) => {
    const remove = event.target.closest("[data-remove-photo]");
    if (remove) {
      if (!window.confirm(form.dataset.confirmRemove)) return;
      await drafts.deletePhoto(remove.dataset.removePhoto);
      remove.closest("[data-local-photo]").remove();
      await countPending();
      status();
      return;
    }
    const step = event.target.closest("[data-step]");
    if (step) {
      const row = step.closest("[data-row]");
      const input = field(row, "occurrences");
      const value = Math.min(999, Math.max(1, (Number(input.value) || 0) + Number(step.dataset.step)));
      input.value = value;
      if (verdictOf(row) !== "breached") {
        row.querySelector('[data-field="verdict"][value="breached"]').checked = true;
      }
      refreshRow(row);
      changed();
      return;
    }
    const add = event.target.closest("[data-add-row]");
    if (add) {
      const card = add.closest(".item-card");
      const row = blankRow(card);
      row.querySelector('[data-field="verdict"][value="breached"]').checked = true;
      card.querySelector("[data-rows]").append(row);
      refreshAll();
      changed();
      field(row, "staff").focus();
      return;
    }
    const removeRow = event.target.closest("[data-remove-row]");
    if (removeRow) {
      const card = removeRow.closest(".item-card");
      removeRow.closest("[data-row]").remove();
      card.querySelectorAll("[data-row]").forEach(refreshRow);
      changed();
    }
  });

  form.addEventListener("input", (event) => {
    if (event.target.matches("[data-photo-input]")) return;
    // A name being typed in a chooser is kept on the device but sent once it is chosen (or the
    // box is left): half a name matches nobody.
    if (event.target.matches('[data-field="staff"]')) {
      editSeq += 1;
      keep();
      status();
      return;
    }
    changed();
  });
  form.addEventListener("change", (event) => {
    if (event.target.matches("[data-photo-input]")) return;
    const row = event.target.closest("[data-row]");
    if (row) refreshRow(row);
    changed();
  });
  form.addEventListener("chooser:change", changed);
  form.addEventListener("submit", (event) => {
    event.preventDefault(); // "Save": sync now (the draft is on the device already)
    sync();
  });

  const idle = async () => {
    for (let waited = 0; (syncing || uploading) && waited < 15000; waited += 100) {
      await new Promise((resolve) => window.setTimeout(resolve, 100));
    }
  };

  // Filing needs everything on the server: what is left is sent first, then the page opens.
  const guardFiling = async (event) => {
    if (!dirty() && !pendingPhotos && !syncing && !uploading) return;
    event.preventDefault();
    const target = event.currentTarget.href;
    await idle();
    if (dirty()) await sync();
    await idle();
    if (!dirty() && !pendingPhotos && !locked) window.location.href = target;
    else window.alert(fileLink.dataset.wait);
  };
  document.querySelectorAll(`a[href="${fileLink.getAttribute("href")}"]`).forEach((a) => a.addEventListener("click", guardFiling));

  window.addEventListener("online", () => {
    offline = false;
    failed = "";
    sync();
  });
  window.addEventListener("offline", () => {
    offline = true;
    status();
  });
  window.setInterval(() => {
    if (dirty() || pendingPhotos) sync();
  }, RETRY_MS);

  // --- Start: the device's unsynced draft wins over what the server had ---------------------------

  form.querySelectorAll(".js-only, [data-step]").forEach((element) => (element.hidden = false));
  form.querySelectorAll("[data-row]").forEach(keyOf);
  (async () => {
    const draft = await drafts.getDraft(inspection).catch(() => null);
    if (draft && draft.dirty && Array.isArray(draft.rows)) {
      apply(draft);
      editSeq = 1; // not on the server yet
    }
    refreshAll();
    const photos = await countPending();
    photos.forEach(placePhoto);
    if (!dirty()) syncedContent = content(); // the page came from the server as it is
    await keep();
    status();
    sync();
  })();
})();
