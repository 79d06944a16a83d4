"""The package's shape: imports flow one way between the pipeline's stages, with no circles.

Every module's imports are read from its source (those inside functions too, since a lazy
import still ties two modules together; those under `if TYPE_CHECKING:` aside, since they never
run). The allowed directions are the ones ARCHITECTURE.md draws.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.support import ROOT

PACKAGE = ROOT / "coach"
MAX_LINES = 400

STAGES = (
    *("errors", "resources", "encoding", "result", "session", "rubric", "text", "llm", "batch"),
    *("grading", "reports", "practice", "eval", "authoring", "testing", "cli", "coach"),
    "__main__",
)
# What each stage may import, besides itself. A stage is a sub-package of `coach` or a
# top-level module; `coach` is the package's own `__init__`.
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "resources": set(),
    "encoding": set(),
    "result": set(),
    "session": {"result"},
    "rubric": {"errors", "resources", "encoding"},
    "text": {"errors"},
    "llm": {"errors", "resources", "result", "rubric", "text"},
    "batch": {"errors", "result", "rubric"},
    "grading": {"errors", "resources", "result", "rubric", "text", "llm", "batch"},
    "reports": {"errors", "result", "session"},
    "practice": {"errors", "result", "session", "rubric", "grading"},
    "eval": {"errors", "result"},
    "authoring": {"errors", "rubric", "text", "grading"},
    "testing": {"errors", "result", "rubric", "llm", "grading"},
    "cli": set(STAGES) - {"cli", "testing", "coach", "__main__"},
    "coach": set(STAGES) - {"cli", "testing", "coach", "__main__", "eval", "resources"},
    "__main__": {"cli"},
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "coach"


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(inner) for stmt in node.body for inner in ast.walk(stmt))
    return skipped


def imports_of(module: str) -> set[str]:
    """The coach modules that `module` imports, wherever in it the import statement is."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_nodes(tree)
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against the importing module's package
                package = module if path.name == "__init__.py" else module.rpartition(".")[0]
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in found if name in MODULES and name != module}


GRAPH = {module: imports_of(module) for module in MODULES}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle of `graph` as a path that ends where it starts, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_import_reader_sees_lazy_imports_and_skips_type_checking_ones() -> None:
    # coach/__init__ imports the reports at the top, and loads the graders on first use
    # through importlib (no import statement), so only the former is an edge.
    assert "coach.reports.publish" in GRAPH["coach"]
    assert not any(m.startswith("coach.grading") for m in GRAPH["coach"])
    # practice/interview imports the grader inside a function, so the openai SDK loads late.
    assert "coach.grading.grader" in GRAPH["coach.practice.interview"]
    # batch/run names the LLM clients only for the type checker.
    assert "coach.llm.clients" not in GRAPH["coach.batch.run"]


def test_find_cycle_finds_a_circle_and_only_a_circle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_no_import_circles() -> None:
    cycle = find_cycle(GRAPH)
    assert cycle is None, "import circle: " + " -> ".join(cycle or [])


def test_every_stage_is_declared() -> None:
    assert {stage(m) for m in MODULES} == set(ALLOWED)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_flow_one_way(module: str) -> None:
    own = stage(module)
    wrong = sorted(t for t in GRAPH[module] if stage(t) != own and stage(t) not in ALLOWED[own])
    assert not wrong, f"{module} ({own}) may not import {wrong}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_stay_small(module: str) -> None:
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{module}: {lines} lines; split it by concept"


def test_each_stage_says_what_it_does_and_may_import() -> None:
    for init in sorted(PACKAGE.glob("*/__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and "import" in doc.lower(), (
            f"{init.parent.name}/__init__.py needs its docstring"
        )
