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
// Every printable page's print button (a notice, a circular, a certificate, a slip): <button data-print>.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
