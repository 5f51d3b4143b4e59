// Small progressive enhancements; every page works without JavaScript.
document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
  select.addEventListener("change", () => select.form.submit());
});
document.querySelectorAll("[data-confirm]").forEach((el) => {
  el.addEventListener("click", (event) => {
    if (!window.confirm(el.dataset.confirm)) event.preventDefault();
  });
});
// A tab bar that scrolls sideways on a phone shows its active tab, wherever it is in the bar.
document.querySelectorAll(".portal-tabs .nav-link.active").forEach((tab) => {
  const bar = tab.closest(".portal-tabs");
  bar.scrollLeft = tab.offsetLeft - (bar.clientWidth - tab.offsetWidth) / 2;
});
// A printable page's print button (a certificate, a commendation): <button data-print-page>.
document.querySelectorAll("[data-print-page]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
