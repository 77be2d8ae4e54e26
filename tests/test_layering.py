"""The layout is the architecture: data flows recipe -> plan -> engine -> sink, and imports follow it.

Read from the source (ast), so lazy imports inside functions count too: the library never
imports the service or a web framework, no package imports one further down the data flow,
and no two modules import each other, directly or through others.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Each library package's place in the data flow; a module may import its own package or lower.
RANK = {
    "tensorseed.stream": 0,  # Philox, conversions, portable math, samplers
    "tensorseed.recipe": 1,  # recipes, schemes, layers, the plan
    "tensorseed.engine": 2,  # backends, devices, chunking, admission
    "tensorseed.formats": 3,  # sinks: safetensors, byte ranges, statistics
    "tensorseed.client": 4,  # pull: HTTP downloads of files the service makes
    "tensorseed.analysis": 4,  # signal propagation, plots and tables over plans and statistics
}
TOP = 5  # everything else in the library (cli, integrations, the package's own API)
SERVICE_ONLY = ("app", "tensorseed_service", "fastapi", "starlette", "uvicorn", "prometheus_client")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path) -> set[str]:
    """Every module a file imports, absolute names, wherever the import statement is."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def library_modules() -> dict[str, set[str]]:
    modules = {module_name(p): imports(p) for p in (ROOT / "tensorseed").rglob("*.py")}
    return {m: {i for i in deps if i in modules} for m, deps in modules.items()}


def rank(module: str) -> int:
    return next((r for prefix, r in RANK.items() if module == prefix or module.startswith(prefix + ".")), TOP)


def test_the_library_never_imports_the_service_or_a_web_framework() -> None:
    for path in (ROOT / "tensorseed").rglob("*.py"):
        bad = {i for i in imports(path) if i.split(".")[0] in SERVICE_ONLY}
        assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_imports_follow_the_data_flow() -> None:
    for module, deps in library_modules().items():
        upward = sorted(d for d in deps if rank(d) > rank(module))
        assert not upward, f"{module} imports {upward}, further down the data flow"


def test_no_import_circles() -> None:
    graph = library_modules()
    # Package __init__ modules are imported by their submodules implicitly; only edges count.
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if nxt == node or node.startswith(nxt + ".") or nxt.startswith(node + "."):
                continue  # a package and its own submodules
            if state.get(nxt) == 1:
                cycle = [*path[path.index(nxt) :], nxt] if nxt in path else [*path, nxt]
                raise AssertionError("import circle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])


def test_the_service_imports_itself_relatively() -> None:
    """app/ installs as tensorseed_service: an absolute ``app.`` import would break there."""
    for path in (ROOT / "app").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.ImportFrom)
                and not node.level
                and (node.module or "").split(".")[0] == "app"
            ):
                raise AssertionError(f"{path.relative_to(ROOT)}:{node.lineno} imports app absolutely")
            if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "app" for a in node.names):
                raise AssertionError(f"{path.relative_to(ROOT)}:{node.lineno} imports app absolutely")
