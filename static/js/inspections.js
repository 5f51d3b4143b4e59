// Inspections pages: the drafts kept on this device (shared with inspections-form.js), a print
// button for the meeting circular, and clearing a draft once its inspection has been filed.
// Every page works without JavaScript.
(() => {
  // --- Drafts on the device: IndexedDB ("drafts" by inspection, "photos" by id) -----------------
  const DB_NAME = "portal-inspection-drafts";
  const DB_VERSION = 1;
  let opening = null;

  const open = () => {
    if (!opening) {
      opening = new Promise((resolve) => {
        if (!window.indexedDB) {
          resolve(null);
          return;
        }
        let request;
        try {
          request = window.indexedDB.open(DB_NAME, DB_VERSION);
        } catch (error) {
          resolve(null); // private browsing in some browsers: no storage, the server still saves
          return;
        }
        request.onupgradeneeded = () => {
          const db = request.result;
          if (!db.objectStoreNames.contains("drafts")) db.createObjectStore("drafts", { keyPath: "inspection" });
          if (!db.objectStoreNames.contains("photos")) {
            db.createObjectStore("photos", { keyPath: "id" }).createIndex("inspection", "inspection");
          }
        };
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => resolve(null);
        request.onblocked = () => resolve(null);
      });
    }
    return opening;
  };

  const run = (store, mode, work) =>
    open().then(
      (db) =>
        new Promise((resolve, reject) => {
          if (!db) {
            resolve(undefined);
            return;
          }
          const transaction = db.transaction(store, mode);
          let result;
          const request = work(transaction.objectStore(store));
          if (request) request.onsuccess = () => (result = request.result);
          transaction.oncomplete = () => resolve(result);
          transaction.onerror = () => reject(transaction.error);
          transaction.onabort = () => reject(transaction.error);
        }),
    );

  const storage = {
    available: () => open().then((db) => Boolean(db)),
    getDraft: (inspection) => run("drafts", "readonly", (s) => s.get(String(inspection))),
    putDraft: (draft) => run("drafts", "readwrite", (s) => s.put({ ...draft, inspection: String(draft.inspection) })),
    deleteDraft: (inspection) => run("drafts", "readwrite", (s) => s.delete(String(inspection))),
    photos: (inspection) => run("photos", "readonly", (s) => s.index("inspection").getAll(String(inspection))),
    putPhoto: (photo) => run("photos", "readwrite", (s) => s.put({ ...photo, inspection: String(photo.inspection) })),
    deletePhoto: (id) => run("photos", "readwrite", (s) => s.delete(id)),
    forget: (inspection) =>
      storage.photos(inspection).then((photos) =>
        Promise.all([storage.deleteDraft(inspection), ...(photos || []).map((p) => storage.deletePhoto(p.id))]),
      ),
  };
  window.inspectionDrafts = storage;

  // A filed (or returned-then-filed) inspection needs no draft on this device any more.
  const done = document.querySelector("[data-draft-done][data-inspection]");
  if (done) storage.forget(done.dataset.inspection).catch(() => {});
})();
