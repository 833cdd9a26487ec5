"""A cap on the size of each output a learner's code leaves in the autograded notebook.

nbgrader's LimitOutput counts lines; one 60 MB line passes it and then fills the autograded
notebook, Formgrader's page and the learner's feedback. This cuts every output to a size a
person could still read, and says so in Bulgarian where the text was cut.
"""

from __future__ import annotations

from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Integer

CUT_NOTE_BG = "\n[… изходът е съкратен: {size} знака са повече, отколкото се пази при оценяването]\n"
TEXT_MIMES = ("text/plain", "text/html", "text/markdown", "text/latex", "image/svg+xml", "application/json")


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


class LimitOutputSize(NbGraderPreprocessor):
    """Cuts each stream, text and traceback output to max_chars; drops larger binary data with a note."""

    max_chars = Integer(200_000, help="Largest output kept, in characters (base64 for images).").tag(config=True)

    def _cut(self, text: str) -> str:
        return text[: self.max_chars] + CUT_NOTE_BG.format(size=len(text))

    def preprocess_cell(self, cell, resources, cell_index):
        if cell.cell_type != "code":
            return cell, resources
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                text = _text(output.get("text", ""))
                if len(text) > self.max_chars:
                    output["text"] = self._cut(text)
            elif output.get("output_type") == "error":
                lines = [str(line) for line in output.get("traceback", [])]
                if sum(map(len, lines)) > self.max_chars:
                    output["traceback"] = [self._cut("\n".join(lines))]
                if len(str(output.get("evalue", ""))) > self.max_chars:
                    output["evalue"] = self._cut(str(output["evalue"]))
            elif "data" in output:
                data = output["data"]
                for mime in list(data):
                    text = _text(data[mime]) if isinstance(data[mime], (str, list)) else ""
                    if len(text) <= self.max_chars:
                        continue
                    if mime in TEXT_MIMES and mime != "application/json":
                        data[mime] = self._cut(text)
                    else:  # cut binary or JSON data would be broken: leave a note instead
                        del data[mime]
                        data.setdefault("text/plain", CUT_NOTE_BG.format(size=len(text)).strip())
        return cell, resources
