"""Grades a learner's code cannot forge: nbgrader's test cells run in the grader, not in the learner's kernel.

What happens during autograding (nbgrader's Autograde converter: `civickit cohort autograde`,
Formgrader's Autograde button, `nbgrader autograde` with the kit's config -- all configured by
civickit.grading.configure_nbgrader, which puts TrustedExecute in place of nbgrader's Execute):

- The learner's cells (answers, and any cell the learner added) run in the learner's kernel, in the
  sandbox (civickit.sandbox), as before. The locked setup cells run there too, so answers see the data.
- The test cells (nbgrader `grade: true`, not `solution`, locked, source restored from the gradebook by
  nbgrader's OverwriteCells) never run there. Their code runs in this grading process, which never
  runs learner code, in a namespace of its own ("the trusted namespace") built from the setup cells
  (run here as well) and the earlier test cells. They run in the notebook's folder, the learner kernel's
  working directory, so a test reading the assignment's data file (`open('data/x.csv')`) reads it as in plain nbgrader.
- Names a test needs come from the trusted namespace, except the answers: names the SOURCE notebook's
  solution cells bind or change (`def quadrant`, `best_connector = ...`, `indicators["light"] = ...`),
  and names nothing trusted defines. Those come from the learner's kernel ONLY AS DATA: encoded there
  into tagged JSON (civickit.answer_wire), rebuilt here into fresh built-in / numpy / pandas objects.
  A learner function arrives as a proxy: calling it sends the arguments (pickled, grader -> learner),
  runs the function in the learner's kernel and brings the result back as data; an argument it changed
  in place is changed here too; an exception it raised is raised here as the same built-in class
  (a learner class as its nearest built-in base, else a generic AnswerError). A reference module it
  tried to import (not importable in the sandbox, civickit.reference_modules) fails the test as
  NotOwnWork, which the feedback explains.
- The cell's outputs are the trusted verdict: an error output when a check fails (nbgrader then gives 0,
  as before), the learner function's own prints (stderr still costs the points, as in nbgrader),
  a last expression's value (nbgrader's partial credit). Gradebook, Formgrader and feedback read them.
- Names the visible part of a test cell defines (`ids`, `now_open`, `result`) are put back into the
  learner's kernel as data, as plain nbgrader would leave them; hidden-test names are not.
- Every learner-side call of one test cell shares that cell's timeout (ExecutePreprocessor.timeout);
  past it the kernel is interrupted and the cell fails with CellTimeoutError.

So what can learner code do during grading? Compute values and raise exceptions, slowly or quickly,
print, and lie about its own values -- which only changes the data the checks get, as writing other
code would. It cannot see or change the test code, the expected values or the reference modules,
cannot patch anything the checks use (IPython hooks, builtins, pandas methods, the kernel's
do_execute all live in its own process), and an object with a lying __eq__/__bool__ arrives as
the plain value it holds or as an ungradable object that fails every comparison.
It can still: read what it is given as arguments, leave wrong names that the setup
cells' code then uses in its own kernel (only its own answers see them), and hard-code answers to
visible tests (hidden tests are there for that; the trainer reads the code graded by hand).

Learners' own runs and Validate are untouched: they use their own kernel and plain nbgrader.

For the trainer: the test cells are code from the course's source (assignments/), run with the
grader's rights -- in `civickit cohort autograde`'s grading process, or inside the trainer's Jupyter
server when Formgrader's button is used. Review test code as code that runs on the grading machine;
never put learner-provided text into a test cell. Grades of honest submissions equal plain
nbgrader's (tests/test_grade_parity.py); warnings the test code itself raises are shown on stderr
as the kernel would (nbgrader counts stderr as a failure), per cell rather than once per kernel.
"""

from __future__ import annotations

import ast
import base64
import builtins
import contextlib
import io
import json
import linecache
import pickle
import queue
import time
import traceback
import warnings
from pathlib import Path

import nbformat
from nbclient.exceptions import DeadKernelError
from nbformat import NotebookNode
from nbgrader.utils import compute_checksum, is_grade, is_locked, is_solution

from . import answer_wire
from .own_work import NotOwnWork, message as not_own_work_message
from .reference_modules import is_refusal
from .sandbox_kernel import SandboxedExecute

WIRE = "__import__('civickit.answer_wire', fromlist=['_'])"
HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
INTERRUPT_GRACE_S = 5
MAX_OUTPUT_CHARS = 1_000_000  # learners' prints during one test cell; civickit.output_limits caps what is kept
REFUSED = "внася готов модул на civickit, който не е достъпен при оценяването"  # the NotOwnWork reason
UNRAISABLE = {"SystemExit", "KeyboardInterrupt", "GeneratorExit", "BaseExceptionGroup", "ExceptionGroup"}


class AnswerError(Exception):
    """A learner's function raised an exception of a class the checker does not rebuild."""


class CellTimeoutError(BaseException):
    """The learner's code did not answer within the cell's timeout (BaseException: a test's
    `except Exception` must not swallow it)."""


def cell_role(cell) -> str:
    """'test', 'setup' (trusted, run in both places) or 'learner' (the learner's kernel only)."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    if cell.cell_type != "code" or not meta.get("grade_id") or not is_locked(cell):
        return "learner"
    # OverwriteCells restored a locked cell's source from the gradebook and set its checksum: check anyway.
    if meta.get("checksum") != compute_checksum(cell):
        return "learner"
    if is_grade(cell) and not is_solution(cell):
        return "test"
    return "setup" if not is_grade(cell) and not is_solution(cell) else "learner"


MUTATING_METHODS = {"append", "extend", "insert", "update", "pop", "remove", "clear", "sort", "add", "discard",
                    "setdefault", "drop", "rename", "fillna", "reset_index", "set_index", "sort_values", "insert"}


def _top_level_targets(tree: ast.AST) -> set[str]:
    """Names a cell binds or changes at top level (x = ..., x[...] = ..., x.append(...), def x, import x, for x in ...)."""
    names: set[str] = set()

    def base(node):
        while isinstance(node, (ast.Subscript, ast.Attribute, ast.Starred)):
            node = node.value
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, (ast.Tuple, ast.List)):
            for elt in node.elts:
                base(elt)

    def visit(statements):
        for node in statements:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                names.update((a.asname or a.name).split(".")[0] for a in node.names if a.name != "*")
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    base(target)
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For, ast.AsyncFor)):
                base(node.target)
            elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
                func = node.value.func
                if isinstance(func, ast.Attribute) and func.attr in MUTATING_METHODS:
                    base(func.value)
            if isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    if item.optional_vars is not None:
                        base(item.optional_vars)
            if isinstance(node, (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try)):
                for field in ("body", "orelse", "finalbody"):
                    visit(getattr(node, field, []))
                for handler in getattr(node, "handlers", []):
                    if handler.name:
                        names.add(handler.name)
                    visit(handler.body)

    visit(getattr(tree, "body", []))
    return names


def _parse(source: str) -> ast.Module | None:
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError):
        return None


def answer_names(notebook: dict) -> set[str]:
    """Names the solution cells of a (source) notebook bind or change: what the tests read from the learner."""
    names: set[str] = set()
    for cell in notebook.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") == "code" and meta.get("solution"):
            source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            tree = _parse(source)
            if tree is not None:
                names |= _top_level_targets(tree)
    return names


def _loaded_names(tree: ast.AST) -> set[str]:
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}


def _split_hidden(source: str) -> tuple[str, str]:
    """(visible part, hidden part) of a test cell."""
    parts: tuple[list, list] = ([], [])
    hidden = False
    for line in source.splitlines(keepends=True):
        if line.strip().startswith(HIDDEN_BEGIN):
            hidden = True
        elif line.strip().startswith(HIDDEN_END):
            hidden = False
        else:
            parts[hidden].append(line)
    return "".join(parts[0]), "".join(parts[1])


class LearnerFunction:
    """A learner's callable, seen from the grader: calling it runs it in the learner's kernel."""

    def __init__(self, checker: "TrustedChecker", handle: int, name: str):
        self._checker, self._handle, self.__name__ = checker, handle, name or "answer"

    def __call__(self, *args, **kwargs):
        return self._checker.call(self, args, kwargs)

    def __reduce__(self):  # passed back to the learner's kernel as the learner's own object
        return (answer_wire.handle_object, (self._handle,))

    def __repr__(self):
        return f"<learner function {self.__name__}>"


class _OutputWriter(io.TextIOBase):
    """stdout/stderr of trusted code, appended to the cell's outputs in order."""

    def __init__(self, checker: "TrustedChecker", name: str):
        self.checker, self.name = checker, name

    def write(self, text):
        self.checker.stream(self.name, text)
        return len(text)


class TrustedChecker:
    """The trusted namespace of one notebook and the wire to its learner's kernel."""

    def __init__(self, executor: "TrustedExecute", answers: set[str], folder: str | None = None):
        self.ex = executor
        self.answers = answers
        # The notebook's folder, the learner kernel's working directory: a test reading 'data/x.csv' reads the
        # assignment's file as in plain nbgrader (nbgrader's converter itself works from the course root).
        self.folder = folder
        self.ns: dict = {"__name__": "__main__", "__builtins__": builtins}
        self.outputs: list | None = None
        self.deadline = float("inf")
        self.broken = False  # the learner's kernel ignored an interrupt: it answers nothing any more
        self.mutated: set[int] = set()
        self.output_chars = 0

    # ---------------------------------------------------------------- cells

    def run_setup(self, cell) -> None:
        """A locked setup cell, run here too (its learner-side run gave the outputs); failures only lose names."""
        tree = _parse(cell.source)
        if tree is None:
            return
        try:
            self._run(tree, f"<setup {cell.metadata.nbgrader['grade_id']}>", cell, record=False)
        except DeadKernelError:
            raise
        except (Exception, CellTimeoutError):  # noqa: BLE001
            pass

    def run_test(self, cell) -> None:
        cell.outputs = []
        tree = _parse(cell.source)
        filename = f"<test {cell.metadata.nbgrader['grade_id']}>"
        if tree is None:
            cell.outputs.append(_error_output(SyntaxError("the test cell does not parse"), filename, ""))
            return
        self.mutated = set()
        try:
            self._run(tree, filename, cell, record=True)
        except DeadKernelError:
            raise
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as err:  # noqa: BLE001 - every failure of a check is the cell's error output
            err = self._own_work(err)
            cell.outputs.append(_error_output(err, filename, getattr(err, "learner_traceback", "")))
        finally:
            self.outputs = None
        self._give_back(cell.source)

    def _run(self, tree: ast.Module, filename: str, cell, record: bool) -> None:
        self.outputs = cell.outputs if record else []
        self.output_chars = 0
        timeout = self.ex._get_timeout(cell)
        self.deadline = time.monotonic() + timeout if timeout else float("inf")
        own = _top_level_targets(tree) - self.answers  # bound by this trusted cell itself
        self._bind(_loaded_names(tree) - own)
        body = list(tree.body)
        last = body.pop() if body and isinstance(body[-1], ast.Expr) else None
        linecache.cache[filename] = (len(cell.source), None, cell.source.splitlines(True), filename)
        out, err = _OutputWriter(self, "stdout"), _OutputWriter(self, "stderr")
        here = contextlib.chdir(self.folder) if self.folder else contextlib.nullcontext()
        with here, contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
                warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("default")
            try:
                exec(compile(ast.Module(body=body, type_ignores=[]), filename, "exec"), self.ns)
                if last is not None:
                    value = eval(compile(ast.Expression(last.value), filename, "eval"), self.ns)
                    if value is not None:  # nbgrader reads a number here as partial credit
                        self.outputs.append(nbformat.v4.new_output(
                            "execute_result", data={"text/plain": repr(value)},
                            execution_count=cell.get("execution_count")))
            finally:
                for w in seen:  # what IPython's kernel would print on stderr
                    if not issubclass(w.category, (DeprecationWarning, PendingDeprecationWarning)) \
                            or w.filename == filename:
                        self.stream("stderr", warnings.formatwarning(w.message, w.category, w.filename, w.lineno))

    def _bind(self, names: set[str]) -> None:
        """Answers, and names nothing trusted defines, from the learner's kernel as data or proxies."""
        wanted = sorted(n for n in names if n in self.answers or (n not in self.ns and not hasattr(builtins, n)))
        if not wanted:
            return
        reply = self.request({"op": "fetch", "names": wanted})
        for name, data in reply.get("values", {}).items():
            if name not in wanted:
                continue
            if isinstance(data, dict) and data.get("t") == "missing":
                if name in self.answers:
                    self.ns.pop(name, None)  # the learner has no such answer: the test meets a NameError
                continue
            try:
                self.ns[name] = answer_wire.decode(data, self._proxy)
            except Exception as err:  # noqa: BLE001 - malformed data is an ungradable answer, not a crash
                self.ns[name] = answer_wire.Ungradable("?", f"unreadable: {type(err).__name__}")

    def _give_back(self, source: str) -> None:
        """Names the visible part of a test defined, into the learner's kernel (as plain nbgrader leaves them);
        and trusted objects a learner function changed in place."""
        visible, hidden = (_parse(part) for part in _split_hidden(source))
        names = _top_level_targets(visible) if visible else set()
        names -= _top_level_targets(hidden) if hidden else set()
        names |= {n for n, v in self.ns.items() if id(v) in self.mutated}
        values = {}
        for name in sorted(names):
            value = self.ns.get(name)
            if name not in self.ns or callable(value) or type(value).__name__ == "module" \
                    or isinstance(value, answer_wire.Ungradable):
                continue
            try:
                pickle.dumps(value, protocol=4)
            except Exception:  # noqa: BLE001 - what cannot travel stays here
                continue
            values[name] = value
        if values and not self.broken:
            with contextlib.suppress(Exception, CellTimeoutError):
                self.deadline = time.monotonic() + (self.ex.timeout or 60)
                self.request({"op": "put", "values": base64.b64encode(pickle.dumps(values, protocol=4)).decode()})

    def _own_work(self, err: BaseException) -> BaseException:
        """A test that failed because an answer needs a reference module: say so (feedback explains it)."""
        if isinstance(err, NotOwnWork):
            return err
        if isinstance(err, NameError) and getattr(err, "name", None) in self.answers:
            refused = any(is_refusal(o.get("ename", ""), o.get("evalue", ""))
                          for c in self.ex.nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error")
            if refused:
                return NotOwnWork(not_own_work_message(err.name, REFUSED))
        return err

    # ---------------------------------------------------------------- learner calls

    def _proxy(self, handle: int, name: str) -> LearnerFunction:
        return LearnerFunction(self, handle, name)

    def call(self, fn: LearnerFunction, args: tuple, kwargs: dict):
        try:
            payload = base64.b64encode(pickle.dumps((args, kwargs), protocol=4)).decode()
        except Exception as err:  # noqa: BLE001
            raise TypeError(f"cannot pass these arguments to the answer: {err}") from None
        reply = self.request({"op": "call", "h": fn._handle, "args": payload})
        for key, data in (reply.get("mutated") or {}).items():
            self._write_back(args, kwargs, str(key), data)
        if "raise" in reply:
            raise self._learner_exception(fn.__name__, reply["raise"])
        if "ok" not in reply:
            raise AnswerError("the answer gave no result")
        value = answer_wire.decode(reply["ok"], self._proxy)
        if isinstance(value, answer_wire.Ungradable):
            value._refuse()
        return value

    def _write_back(self, args, kwargs, key: str, data) -> None:
        """The learner's function changed an argument in place: change the trusted object the same way."""
        target = kwargs.get(key[2:]) if key.startswith("k:") else (args[int(key)] if key.isdigit() and int(key) < len(args) else None)
        try:
            new = answer_wire.decode(data, self._proxy)
        except Exception:  # noqa: BLE001
            return
        kind = type(target).__name__
        if kind == "list" and type(new) is list:
            target[:] = new
        elif kind in ("dict", "set") and type(new) is type(target):
            target.clear()
            target.update(new)
        elif kind in ("DataFrame", "Series") and type(new).__name__ == kind:
            target.__setstate__(new.__getstate__())
        elif kind == "ndarray" and getattr(new, "shape", None) == target.shape:
            target[...] = new
        else:
            return
        self.mutated.add(id(target))

    def _learner_exception(self, name: str, info: dict) -> BaseException:
        builtin, text = str(info.get("builtin", "")), str(info.get("message", ""))
        if is_refusal(builtin, text) or is_refusal(str(info.get("ename", "")), text):
            err: BaseException = NotOwnWork(not_own_work_message(name, REFUSED))
        else:
            cls = getattr(builtins, builtin, None)
            err = None
            if isinstance(cls, type) and issubclass(cls, BaseException) and builtin not in UNRAISABLE:
                with contextlib.suppress(Exception):
                    err = cls(text)
            if err is None:
                err = AnswerError(f"{str(info.get('ename', '?'))[:80]}: {text}")
        err.learner_traceback = str(info.get("traceback", ""))[-8000:]
        return err

    # ---------------------------------------------------------------- the wire

    def stream(self, name: str, text: str) -> None:
        if self.outputs is None or not text:
            return
        room = MAX_OUTPUT_CHARS - self.output_chars
        if room <= 0:
            return
        text = text[:room]
        self.output_chars += len(text)
        if self.outputs and self.outputs[-1].get("output_type") == "stream" and self.outputs[-1].get("name") == name:
            self.outputs[-1]["text"] += text
        else:
            self.outputs.append(nbformat.v4.new_output("stream", name=name, text=text))

    def request(self, payload: dict) -> dict:
        if self.broken:
            raise CellTimeoutError("the learner's kernel stopped answering")
        from jupyter_core.utils import run_sync

        code = f"{WIRE}.handle({json.dumps(payload)!r})"
        return run_sync(self._arequest)(code)

    async def _arequest(self, code: str) -> dict:
        kc = self.ex.kc
        msg_id = kc.execute(code, silent=False, store_history=False, allow_stdin=False, stop_on_error=False,
                            user_expressions={"r": f"{WIRE}.last_reply()"})
        reply = await self._await_reply(msg_id)
        await self._drain_iopub(msg_id)
        content = reply.get("content", {})
        if content.get("status") != "ok":
            raise AnswerError(f"the learner's kernel did not run the check ({content.get('ename', '?')})")
        text = content.get("user_expressions", {}).get("r", {}).get("data", {}).get("text/plain", "")
        if not isinstance(text, str) or len(text) > answer_wire.MAX_REPLY_CHARS:
            raise AnswerError("the answer is too large to check")
        try:
            data = json.loads(ast.literal_eval(text))
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            raise AnswerError("the learner's kernel answered something unreadable") from None
        if not isinstance(data, dict):
            raise AnswerError("the learner's kernel answered something unreadable")
        if "error" in data:
            raise AnswerError(f"the learner's kernel could not answer: {str(data['error'])[:300]}")
        return data

    async def _await_reply(self, msg_id: str) -> dict:
        kc, km = self.ex.kc, self.ex.km
        while True:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                await km.interrupt_kernel()
                try:
                    await self._shell_reply(msg_id, time.monotonic() + INTERRUPT_GRACE_S)
                    await self._drain_iopub(msg_id)
                except (queue.Empty, TimeoutError):
                    self.broken = True
                raise CellTimeoutError("No reply from the learner's kernel before the cell's timeout")
            try:
                return await self._shell_reply(msg_id, time.monotonic() + min(remaining, 1.0))
            except (queue.Empty, TimeoutError):
                if not await km.is_alive():
                    raise DeadKernelError("the learner's kernel died during a test") from None

    async def _shell_reply(self, msg_id: str, until: float) -> dict:
        kc = self.ex.kc
        while True:
            left = until - time.monotonic()
            if left <= 0:
                raise queue.Empty
            msg = await kc.get_shell_msg(timeout=left)
            if msg.get("parent_header", {}).get("msg_id") == msg_id:
                return msg

    async def _drain_iopub(self, msg_id: str) -> None:
        """The learner's prints and displays during the call go to the test cell, as in plain nbgrader."""
        kc = self.ex.kc
        until = time.monotonic() + max(self.ex.iopub_timeout, 4)
        while time.monotonic() < until:
            try:
                msg = await kc.get_iopub_msg(timeout=max(0.01, until - time.monotonic()))
            except (queue.Empty, TimeoutError):
                return
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg.get("content", {})
            if kind == "status" and content.get("execution_state") == "idle":
                return
            if kind == "stream":
                self.stream(str(content.get("name")) if content.get("name") in ("stdout", "stderr") else "stdout",
                            str(content.get("text", "")))
            elif kind == "display_data" and self.outputs is not None:
                with contextlib.suppress(Exception):
                    self.outputs.append(nbformat.v4.output_from_msg(msg))


def _error_output(err: BaseException, filename: str, learner_tb: str) -> NotebookNode:
    frames = [f for f in traceback.extract_tb(err.__traceback__) if f.filename == filename]
    lines = ["Traceback (most recent call last):"] + [s.rstrip("\n") for s in traceback.format_list(frames)]
    if learner_tb:
        lines += ["", "In the learner's kernel:", learner_tb.rstrip("\n")]
    try:
        evalue = str(err)
    except Exception:  # noqa: BLE001
        evalue = ""
    ename = "CellTimeoutError" if isinstance(err, CellTimeoutError) else type(err).__name__
    lines.append(f"{ename}: {evalue}")
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=lines)


def _source_notebook(config, resources) -> dict:
    """The assignment's source notebook (trusted: the course's own file), or {} if it cannot be read."""
    from nbgrader.coursedir import CourseDirectory

    try:
        info = resources["nbgrader"]
        coursedir = CourseDirectory(config=config)
        folder = Path(coursedir.format_path(coursedir.source_directory, ".", info["assignment"]))
        return json.loads((folder / f"{info['notebook']}.ipynb").read_text(encoding="utf-8"))
    except (KeyError, OSError, ValueError, TypeError):
        return {}


class TrustedExecute(SandboxedExecute):
    """nbgrader's Execute for Autograde: learner cells in the (sandboxed) learner kernel, test cells here."""

    def preprocess(self, nb, resources=None, km=None):
        source = _source_notebook(self.config, resources or {})
        if not source:
            self.log.warning("civickit: the source notebook was not found; answers are the submitted solution cells' names")
        folder = ((resources or {}).get("metadata") or {}).get("path") or None
        self._checker = TrustedChecker(self, answer_names(source or nb), folder)
        return super().preprocess(nb, resources, km)

    def preprocess_cell(self, cell, resources, index):
        role = cell_role(cell)
        if role == "test":
            self._check_assign_resources(resources)
            self.code_cells_executed += 1
            cell.execution_count = self.code_cells_executed
            self._checker.run_test(cell)
            return cell, self.resources
        cell, resources = super().preprocess_cell(cell, resources, index)
        if role == "setup":
            self._checker.run_setup(cell)
        return cell, resources
