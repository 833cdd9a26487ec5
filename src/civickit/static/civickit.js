// The theme's table-of-contents toggles are <summary> elements with only an icon;
// screen readers need a name for them (axe-core: summary-name).
document.addEventListener("DOMContentLoaded", () => {
  for (const summary of document.querySelectorAll(".bd-sidenav summary")) {
    if (!summary.textContent.trim() && !summary.getAttribute("aria-label")) {
      summary.setAttribute("aria-label", "Покажи или скрий подразделите");
    }
  }
});
