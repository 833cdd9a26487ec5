// civickit book pages: small, offline helpers.
document.addEventListener("DOMContentLoaded", () => {
  // The ☰ (and the page-contents) toggle: pydata-sphinx-theme 0.17 puts a second .primary-toggle
  // in the top bar, and both it and the book theme bind only the first one found
  // (pydata-sphinx-theme#2451). The button a learner sees is the book theme's, later in the page:
  // a click on it is handed to the bound one, which opens the outline (phone) or hides it (desktop).
  for (const selector of [".primary-toggle", ".secondary-toggle"]) {
    const [bound, ...others] = document.querySelectorAll(selector);
    for (const button of others) {
      button.addEventListener("click", (event) => {
        event.preventDefault();
        event.stopPropagation();
        bound.click();
      });
    }
  }
  // The theme's table-of-contents toggles are <summary> elements with only an icon;
  // screen readers need a name for them (axe-core: summary-name).
  for (const summary of document.querySelectorAll(".bd-sidenav summary")) {
    if (!summary.textContent.trim() && !summary.getAttribute("aria-label")) {
      summary.setAttribute("aria-label", "Покажи или скрий подразделите");
    }
  }
  // {quiz}: say at once whether the chosen answer is right.
  for (const quiz of document.querySelectorAll("fieldset.civickit-quiz")) {
    const feedback = quiz.querySelector(".civickit-quiz-feedback");
    quiz.addEventListener("change", (event) => {
      const right = event.target.dataset.correct === "1";
      feedback.className = "civickit-quiz-feedback " + (right ? "is-right" : "is-wrong");
      feedback.textContent = right
        ? "✔ Вярно. " + feedback.dataset.explanation
        : "✘ Не съвсем. Помислете отново и изберете друг отговор.";
    });
  }
});
