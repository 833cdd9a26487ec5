"""Hidden-test guard: a graded answer must be the learner's own code, not a call into the kit's reference module.

Hidden tests compare learners' answers with reference implementations in this package
(civickit.funding, civickit.stakeholders, ...). Those modules are importable in the learner's kernel
(the notebooks need civickit for their data), so an answer could simply call them. Each hidden test
cell therefore starts with

    from civickit.own_work import require_own_work
    require_own_work("classify", "civickit.stakeholders")

which fails the cell (0 points for that part, as any failing test cell) with a Bulgarian reason when
the answer reaches the reference module. It reads compiled bytecode, not text, so aliases do not hide
a use: what counts is what a name *is* when the test runs.

- A function answer: its code and that of every function of the learner's it calls, with their
  nested functions, closures and default values.
- A value answer (`best_connector = ...`): the last earlier cell that assigns the name, from
  IPython's input history, compiled the same way.

Found: an import of the module (`import civickit.x as y`, `from civickit.x import *`, inside the
answer or in any cell when the name is then used); a name that is the module, or a function or class
defined in it; the civickit package with the module's name as an attribute or string
(`getattr(civickit, "x")`); `importlib` / `__import__`; a string naming the module (`sys.modules[...]`).

It stops the easy shortcut, not a determined cheat (strings built at run time, a value laundered
through another cell); the trainer still reads the answers graded by hand.
"""

from __future__ import annotations

import ast
import dis
import sys
import types

PACKAGE = "civickit"
GLOBAL_OPS = {"LOAD_GLOBAL", "LOAD_NAME"}
ATTR_OPS = {"LOAD_ATTR", "LOAD_METHOD"}
DYNAMIC_IMPORT = {"__import__", "importlib", "import_module"}


class NotOwnWork(AssertionError):
    """A graded answer reaches the reference module. The message is for the trainer (graded notebook);
    the learner's feedback shows a fixed text naming the answer (civickit.grading.HideHiddenTests)."""


def require_own_work(name: str, *modules: str) -> None:
    """Fail the calling test cell if answer `name` reaches any of `modules` (dotted names)."""
    namespace = sys._getframe(1).f_globals  # the notebook's namespace: the hidden test runs at its top level
    found = uses_of(name, modules, namespace)
    if found:
        raise NotOwnWork(message(name, found[0]))


def message(name: str, found: str) -> str:
    return (f"Отговорът „{name}“ не е изцяло ваш код: {found}. Оценяваните отговори трябва да са "
            "написани от вас; готова функция от пакета civickit за същата задача носи 0 точки за тази част.")


def uses_of(name: str, modules: tuple[str, ...], namespace: dict) -> list[str]:
    """What in answer `name` reaches `modules`, each as a short Bulgarian phrase; [] if nothing."""
    scan = _Scan(modules)
    answer = namespace.get(name)
    if _is_learner_function(answer):
        scan.function(answer)
    else:
        code = _assigning_cell(name, namespace)
        if code is not None:
            scan.code(code, namespace)
    if answer is not None and not _is_learner_function(answer):
        scan.value(name, answer, namespace)
    return scan.found


def _is_learner_function(obj) -> bool:
    return isinstance(obj, types.FunctionType) and obj.__module__ == "__main__"


def _assigning_cell(name: str, namespace: dict):
    """The code of the last earlier cell that binds or changes `name` (IPython keeps inputs in `In`)."""
    history = namespace.get("In") or namespace.get("_ih") or []
    for source in reversed(list(history)[:-1]):  # [-1] is the running test cell
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError):
            continue
        if any(name in _bound_names(target) for target in _targets(tree)):
            return compile(tree, "<answer>", "exec")
    return None


def _targets(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            yield from node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For, ast.NamedExpr)):
            yield node.target
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            yield node.optional_vars


def _bound_names(target) -> set[str]:
    """Names an assignment target binds or changes: x for x, x[...] and x.attr; every name of a tuple."""
    while isinstance(target, (ast.Subscript, ast.Attribute, ast.Starred)):
        target = target.value
    if isinstance(target, ast.Name):
        return {target.id}
    if isinstance(target, (ast.Tuple, ast.List)):
        return set().union(*(_bound_names(t) for t in target.elts))
    return set()


class _Scan:
    def __init__(self, modules: tuple[str, ...]):
        self.modules = modules
        self.short = {m.rsplit(".", 1)[-1] for m in modules}
        self.found: list[str] = []
        self.seen: set[int] = set()

    def _forbidden(self, module_name: str | None) -> bool:
        return bool(module_name) and any(module_name == m or module_name.startswith(m + ".") for m in self.modules)

    def function(self, fn) -> None:
        if id(fn) in self.seen:
            return
        self.seen.add(id(fn))
        self.code(fn.__code__, fn.__globals__)
        for i, cell in enumerate(fn.__closure__ or ()):
            try:
                self.value(fn.__code__.co_freevars[i], cell.cell_contents, fn.__globals__)
            except ValueError:  # an empty cell: the closure variable is not bound yet
                pass
        for default in (fn.__defaults__ or ()) + tuple((fn.__kwdefaults__ or {}).values()):
            self.value("(стойност по подразбиране)", default, fn.__globals__)

    def code(self, code, namespace: dict) -> None:
        """Bytecode of `code` and the code objects nested in it (inner functions, lambdas, comprehensions)."""
        instructions = list(dis.get_instructions(code))
        attrs = {i.argval for i in instructions if i.opname in ATTR_OPS}
        strings = [i.argval for i in instructions if i.opname == "LOAD_CONST" and isinstance(i.argval, str)]
        for at, ins in enumerate(instructions):
            if ins.opname == "IMPORT_NAME":
                self._import(ins.argval, instructions[at + 1:], attrs | set(strings))
            elif ins.opname in GLOBAL_OPS:
                if ins.argval in DYNAMIC_IMPORT:
                    self._add("внася модули динамично (importlib / __import__)")
                elif ins.argval in namespace:
                    self.value(ins.argval, namespace[ins.argval], namespace, attrs | set(strings))
        if attrs & DYNAMIC_IMPORT:
            self._add("внася модули динамично (importlib / __import__)")
        for s in strings:
            if any(m in s for m in self.modules):
                self._add(f"посочва модула „{s}“")
        for const in code.co_consts:
            if isinstance(const, types.CodeType):
                self.code(const, namespace)

    def _import(self, module_name: str, following, names_used: set) -> None:
        """`following`: the instructions after this IMPORT_NAME, which say what `from ... import` takes."""
        taken = _taken(following)
        if self._forbidden(module_name):
            # Constants of the module (the stakeholder groups, SECTORS) are given to learners; its code is not.
            if not taken or "*" in taken or any(_is_code(module_name, name) for name in taken):
                self._add(f"внася готовия модул {module_name}")
        elif module_name == PACKAGE:
            # `import civickit` alone is harmless unless the code then reaches the module through it.
            if taken & (self.short | {"*"}) or (not taken and names_used & self.short):
                self._add(f"внася готовия модул от пакета {PACKAGE}")

    def value(self, name: str, obj, namespace: dict, attrs: set | frozenset = frozenset()) -> None:
        """What a name used by the answer is: the module, the package, something from the module, or own code."""
        if isinstance(obj, types.ModuleType):
            if self._forbidden(obj.__name__):
                self._add(f"използва „{name}“, т.е. готовия модул {obj.__name__}")
            elif obj.__name__ == PACKAGE and attrs & self.short:
                self._add(f"използва готовия модул от пакета {PACKAGE} („{name}“)")
            elif obj.__name__ == "importlib":
                self._add("внася модули динамично (importlib / __import__)")
            return
        for inner in (obj, _attr(obj, "func"), _attr(obj, "__func__"), _attr(obj, "__wrapped__")):
            origin = _attr(inner, "__module__") if callable(inner) else None
            origin = origin if isinstance(origin, str) else None
            if self._forbidden(origin):
                label = getattr(inner, "__qualname__", name)
                self._add(f"използва „{name}“, т.е. {label} от готовия модул {origin}")
                return
        if _is_learner_function(obj):
            self.function(obj)

    def _add(self, what: str) -> None:
        if what not in self.found:
            self.found.append(what)


def _taken(following) -> set[str]:
    """Names a `from ... import` takes ("*" for a star import); empty for a plain `import`."""
    taken = set()
    for ins in following:
        if ins.opname == "IMPORT_NAME":
            break
        if ins.opname == "IMPORT_FROM":
            taken.add(ins.argval)
        elif ins.opname == "IMPORT_STAR":
            taken.add("*")
    return taken


def _is_code(module_name: str, name: str) -> bool:
    """Is `name` of that module a function, class or submodule (not a constant)? Unknown counts as code."""
    module = sys.modules.get(module_name)
    if module is None or not hasattr(module, name):
        return True
    return callable(getattr(module, name)) or isinstance(getattr(module, name), types.ModuleType)


def _attr(obj, attr: str):
    """getattr that never raises: answers may hold objects with odd __getattr__ (it is a test, not the app)."""
    try:
        return getattr(obj, attr, None)
    except Exception:  # noqa: BLE001 - any failure just means "not a wrapper of the reference"
        return None
