"""`{quiz}`: a self-check question that answers in the static book page (no kernel, no network).

    :::{quiz} Какъв е минималният срок?
    :correct: 3
    :explanation: Чл. 26, ал. 4 от ЗНА: не по-малко от 30 дни.

    - 7 дни
    - 14 дни
    - 30 дни
    :::

`correct` counts options from 1. The page's script (static/civickit.js) marks the answer.
"""

from __future__ import annotations

import html
import itertools

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

_ids = itertools.count(1)


def quiz_html(question: str, options: list[str], correct: int, explanation: str, uid: str) -> str:
    marks = {correct: " data-correct='1'"}
    items = "".join(
        f"<li><label><input type='radio' name='{uid}' value='{i}'{marks.get(i, '')} /> {html.escape(text)}</label></li>"
        for i, text in enumerate(options, start=1)
    )
    return (
        f"<fieldset class='civickit-quiz' id='{uid}'>"
        f"<legend>Проверете се: {html.escape(question)}</legend>"
        f"<ul>{items}</ul>"
        f"<p class='civickit-quiz-feedback' role='status' aria-live='polite' "
        f"data-explanation='{html.escape(explanation, quote=True)}'></p>"
        "</fieldset>"
    )


class Quiz(SphinxDirective):
    required_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = {"correct": directives.positive_int, "explanation": directives.unchanged_required}

    def run(self):
        options = [line[2:].strip() for line in self.content if line.startswith("- ")]
        if len(options) < 2:
            raise self.error("quiz needs at least two options, each on a line starting with '- '")
        correct = self.options.get("correct")
        if correct is None or not 1 <= correct <= len(options):
            raise self.error(f"quiz :correct: must be a number from 1 to {len(options)}")
        if "explanation" not in self.options:
            raise self.error("quiz needs :explanation: (why the right answer is right)")
        uid = f"quiz-{self.env.docname.replace('/', '-')}-{next(_ids)}"
        self.env.metadata[self.env.docname]["civickit_quiz"] = True
        markup = quiz_html(self.arguments[0], options, correct, self.options["explanation"], uid)
        return [nodes.raw("", markup, format="html")]
