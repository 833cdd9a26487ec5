"""nbgrader configuration for the kit, and the feedback step that keeps hidden tests hidden."""

from __future__ import annotations

import os
import re
from pathlib import Path

from nbgrader.preprocessors import NbGraderPreprocessor

from .course_source import link_kit_assignments, source_dir
from .display_zone import configure_display_zone
from .feedback_images import EmbedAssignmentImages
from .grading_speedups import check_schema_once, share_gradebook_engines
from .own_work import NotOwnWork
from .paths import WORKSPACE_FOLDERS, workspace
from .safe_html import configure_safe_html

# Folders of the cohort workspace, one per nbgrader step.
STEP_FOLDERS = ("release", "submitted", "autograded", "feedback")
HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"
HIDDEN_END = "### END HIDDEN TESTS"

NOT_OWN_WORK = NotOwnWork.__name__  # the answer called the reference module
NOT_OWN_WORK_BG = ("Отговорът{name} извиква готова функция от пакета civickit, която решава същата задача, "
                   "затова тази част носи 0 точки. Отговорите трябва да са ваш собствен код.")
HIDDEN_RESULT_BG = {
    True: "Скритите тестове в тази клетка преминаха.",
    False: "Някои скрити тестове в тази клетка не преминаха. Кодът им не се показва; прегледайте условието и видимите тестове.",
}


def configure_nbgrader(c, root: str | Path | None = None, work: str | Path | None = None) -> None:
    """Point nbgrader at the kit's and the trainer's assignments as source and at the cohort workspace for everything else."""
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import GetGrades

    root = Path(root or os.environ.get("CIVICKIT_ROOT") or os.getcwd()).resolve()
    work = Path(work or workspace(root)).resolve()
    work.mkdir(parents=True, exist_ok=True)  # else sqlite fails with an unreadable error on a fresh clone
    c.CourseDirectory.root = str(root)
    c.CourseDirectory.course_id = "civickit"
    # nbgrader's one source folder: the kit's assignments (symlinked) beside the trainer's own (civickit.course_source).
    link_kit_assignments(root, work)
    c.CourseDirectory.source_directory = os.path.relpath(source_dir(work), root)
    for step in STEP_FOLDERS:
        setattr(c.CourseDirectory, f"{step}_directory", os.path.relpath(work / step, root))
    c.CourseDirectory.db_url = f"sqlite:///{work / 'gradebook.db'}"
    c.Exchange.root = str(work / "exchange")
    # nbgrader lists these folders on every Assignments-panel request and answers 500 when one is
    # missing (the panel then shows "Loading, please wait..." for ever): they must exist.
    for folder in WORKSPACE_FOLDERS:
        (work / folder).mkdir(exist_ok=True)
    c.Exchange.assignment_dir = str(work / "learner")
    # A learner's submissions are copied to this cache too; nbgrader's default is shared by the whole
    # OS account (~/.local/share/jupyter/nbgrader_cache), where erase cannot find them.
    c.Exchange.cache = str(work / "cache")
    # Feedback shows grades but neither the code of hidden tests nor their tracebacks.
    # The assignment's own images are embedded: the learner receives the HTML file alone (civickit.feedback_images).
    c.GenerateFeedback.preprocessors = [GetGrades, HideHiddenTests, EmbedAssignmentImages, CSSHTMLHeaderPreprocessor]
    # Feedback and Formgrader show learners' HTML sanitised, with the kit's MathJax (civickit.safe_html).
    configure_safe_html(c)
    configure_display_zone(c, root, work)  # Formgrader's times in the cohort's zone, not UTC
    c.ExecutePreprocessor.timeout = 120
    c.Autograde.autograde_preprocessors = autograde_preprocessors()
    # nbgrader's metadata check and gradebook queries, without redoing per cell what is the same (civickit.grading_speedups)
    check_schema_once()
    share_gradebook_engines()
    # Late penalties follow the cohort's policy (civickit cohort due ... --late ...), see civickit.deadlines.
    c.AssignLatePenalties.plugin_class = "civickit.deadlines.CohortLatePolicy"
    c.CohortLatePolicy.workspace = str(work)
    # The stubs in a released notebook follow its assignment: the kit's Bulgarian ones only for the kit's own.
    c.GenerateAssignment.preprocessors = generate_preprocessors()


def generate_preprocessors() -> list:
    """nbgrader's GenerateAssignment steps, with civickit.assignment_stubs in place of ClearSolutions."""
    from nbgrader.converters import GenerateAssignment
    from nbgrader.preprocessors import ClearSolutions

    from .assignment_stubs import AssignmentStubs

    return [AssignmentStubs if step is ClearSolutions else step for step in GenerateAssignment.preprocessors.default()]


def autograde_preprocessors() -> list:
    """nbgrader's Autograde steps: learners' code in the sandbox, test cells in the grader (civickit.trusted_check),
    each output's size capped."""
    from nbconvert.preprocessors import ClearMetadataPreprocessor
    from nbgrader.preprocessors import AssignLatePenalties, CheckCellMetadata, IgnorePattern, LimitOutput, SaveAutoGrades

    from .output_limits import LimitOutputSize
    from .trusted_check import TrustedExecute  # test cells run in the grader, learners' code in the sandbox

    return [TrustedExecute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput, LimitOutputSize,
            SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]


def _without_hidden(source: str) -> tuple[str, bool]:
    pattern = re.compile(rf"^[ \t]*{re.escape(HIDDEN_BEGIN)}.*?^[ \t]*{re.escape(HIDDEN_END)}[^\n]*\n?", re.M | re.S)
    cleaned, n = pattern.subn("", source)
    return cleaned, n > 0


def _not_own_work_verdict(evalue: str) -> str:
    """A fixed text with only the answer's name taken from the error: a learner's code can raise an
    exception of that name too, with hidden test source (read from the stack) as its message."""
    match = re.match(r"Отговорът „([A-Za-z_][A-Za-z0-9_]{0,63})“", evalue)
    return NOT_OWN_WORK_BG.format(name=f" „{match.group(1)}“" if match else "")


class HideHiddenTests(NbGraderPreprocessor):
    """Removes hidden test code from feedback and replaces the cell's output with a short verdict.

    The output goes too: a failing hidden assert would print its own source line in the traceback.
    """

    def preprocess_cell(self, cell, resources, cell_index):
        if cell.cell_type != "code":
            return cell, resources
        cleaned, had_hidden = _without_hidden(cell.source)
        if had_hidden:
            errors = [out for out in cell.get("outputs", []) if out.get("output_type") == "error"]
            verdict = HIDDEN_RESULT_BG[not errors]
            if errors and errors[0].get("ename") == NOT_OWN_WORK:
                verdict = _not_own_work_verdict(errors[0].get("evalue", ""))
            cell.source = cleaned.rstrip() + "\n# (скрити тестове)"
            cell.outputs = [{"output_type": "stream", "name": "stdout", "text": verdict + "\n"}]
        return cell, resources
