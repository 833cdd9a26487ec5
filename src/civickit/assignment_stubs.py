"""The placeholder that replaces a solution in a released notebook follows the assignment, not the kit.

nbgrader's ClearSolutions puts a stub where each solution was (`# YOUR CODE HERE` ...), and the
stub is part of the cell's checksum in the gradebook. An answer cell a learner left untouched scores 0
only if its checksum equals the released one, so a foreign assignment released with other stubs
than its upstream course used sends every untouched answer from an upstream copy to manual grading
(and an English course would get Bulgarian stubs). Hence, per notebook, first match wins:

1. the notebook declares its own, in its metadata (JupyterLab: Property Inspector > Notebook metadata):
       "civickit": {"code_stub": "# YOUR CODE HERE\\nraise NotImplementedError()", "text_stub": "YOUR ANSWER HERE"}
   (either key alone is fine; code_stub is for the notebook's own kernel language);
2. one of the kit's own assignments (assignments/ of the kit): the kit's Bulgarian stubs;
3. anything else: nbgrader's stubs as configured (nbgrader's English defaults unless the trainer's
   own nbgrader config sets ClearSolutions.code_stub / text_stub).
"""

from __future__ import annotations

from pathlib import Path

from nbgrader.preprocessors import ClearSolutions

KIT_CODE_STUB = "# ВАШИЯТ КОД ТУК\nraise NotImplementedError()"
KIT_TEXT_STUB = "ВАШИЯТ ОТГОВОР ТУК"
METADATA_KEY = "civickit"


def declared_stubs(nb) -> dict:
    meta = (nb.get("metadata") or {}).get(METADATA_KEY) or {}
    return {k: meta[k] for k in ("code_stub", "text_stub") if k in meta} if isinstance(meta, dict) else {}


def declared_stubs_problem(nb) -> str | None:
    """Why the notebook's declared stubs cannot be used (None if they can or there are none)."""
    meta = (nb.get("metadata") or {}).get(METADATA_KEY)
    if meta is None:
        return None
    if not isinstance(meta, dict):
        return f"notebook metadata '{METADATA_KEY}' must be an object such as {{\"code_stub\": \"...\", \"text_stub\": \"...\"}}."
    for key in ("code_stub", "text_stub"):
        if key in meta and (not isinstance(meta[key], str) or not meta[key].strip()):
            return f"notebook metadata '{METADATA_KEY}.{key}' must be a non-empty text; fix it or remove the key."
    return None


class AssignmentStubs(ClearSolutions):
    """nbgrader's ClearSolutions with the stubs of the notebook's own assignment (module docstring)."""

    def preprocess(self, nb, resources):
        configured = (dict(self.code_stub), self.text_stub)
        language = nb.metadata.get("kernelspec", {}).get("language", "python")
        own = declared_stubs(nb)
        kit = self._is_kit_assignment(resources)
        code = own.get("code_stub") or (KIT_CODE_STUB if kit and language == "python" else None)
        text = own.get("text_stub") or (KIT_TEXT_STUB if kit else None)
        try:
            if code is not None:
                self.code_stub = {**configured[0], language: code}
            if text is not None:
                self.text_stub = text
            return super().preprocess(nb, resources)
        finally:
            self.code_stub, self.text_stub = configured

    def _is_kit_assignment(self, resources) -> bool:
        from nbgrader.coursedir import CourseDirectory

        from .course_source import KIT_FOLDER

        try:
            assignment = resources["nbgrader"]["assignment"]
        except (KeyError, TypeError):
            return False
        coursedir = CourseDirectory(config=self.config)
        folder = Path(coursedir.format_path(coursedir.source_directory, ".", assignment)).resolve()
        return folder.parent == (Path(coursedir.root) / KIT_FOLDER).resolve()
