// civickit book pages: small, offline helpers.
document.addEventListener("DOMContentLoaded", () => {
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
