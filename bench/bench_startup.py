"""Benchmark of coach's start-up: `import coach` and one `coach grade --offline` command.

What: the time `import coach` adds to a fresh interpreter, what it spends it on, and the wall
time of a whole offline grade from the command line (what a candidate practising in a terminal
waits for).

How: fresh subprocesses, run from a temporary directory so the installed package is imported,
with bytecode written once by a warm-up run (into a private PYTHONPYCACHEPREFIX), each timed
from spawn to exit: `python -c "import coach"` minus `python -c pass` (median of
--runs each, alternating), `python -c "import coach; coach.Grader"` (the openai SDK is loaded
lazily, on first use of `Grader`), `python -X importtime -c "import coach"` for the modules
that cost most, and `coach grade finance-cs-manager s2 --offline --answer ...` (median of
--runs).

Why: `import coach` should stay under 300 ms, so notebooks, CLIs and test suites that import
it do not wait on it.

Run from a checkout with coach installed: ``python bench/bench_startup.py`` (``--quick`` for a
short run, ``--strict`` to exit 1 when the target fails). Standard library plus coach only.
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

IMPORT_TARGET_MS = 300.0
ANSWER = "我会先安抚客户的情绪，告诉他别着急，然后核实身份，说明需要按规定审核后才能解冻。"
PYTHON = sys.executable


def environment(pycache: str) -> dict[str, str]:
    """This environment without an LLM configured (nothing can reach for the network), and
    with bytecode cached under `pycache`: the warm-up run writes it there, as an installed
    package has it, even where PYTHONDONTWRITEBYTECODE is set, without touching the tree."""
    drop = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "PYTHONSTARTUP", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["PYTHONPYCACHEPREFIX"] = pycache
    return env


def wall_ms(command: Sequence[str], cwd: str, env: dict[str, str]) -> float:
    """Milliseconds from spawn to exit of `command`; it must succeed."""
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=False)
    elapsed = (time.perf_counter() - start) * 1000
    if done.returncode != 0:
        raise RuntimeError(f"{shlex.join(command)} failed: {done.stderr.decode()[-500:]}")
    return elapsed


def import_times(cwd: str, env: dict[str, str], top: int) -> list[tuple[int, int, str]]:
    """The `top` modules by cumulative import time (us): (cumulative, self, module)."""
    done = subprocess.run(
        [PYTHON, "-X", "importtime", "-c", "import coach"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        self_us, cumulative_us, name = (part.strip() for part in line[12:].split("|"))
        rows.append((int(cumulative_us), int(self_us), name))
    rows.sort(reverse=True)
    return rows[:top]


def coach_command() -> list[str]:
    """The `coach` console script beside this interpreter, else `python -m coach`."""
    script = Path(PYTHON).with_name("coach")
    if script.exists():
        return [str(script)]
    found = shutil.which("coach")
    return [found] if found else [PYTHON, "-m", "coach"]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, help="subprocess runs per measurement (default 10)")
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    parser.add_argument("--strict", action="store_true", help="exit 1 when the target fails")
    args = parser.parse_args(argv)
    args.runs = args.runs or (5 if args.quick else 10)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    grade = [*coach_command(), "grade", "finance-cs-manager", "s2", "--offline", "--answer"]
    commands = {
        "bare": [PYTHON, "-c", "pass"],
        "import": [PYTHON, "-c", "import coach"],
        "grader": [PYTHON, "-c", "import coach; coach.Grader"],
        "grade": [*grade, ANSWER],
    }
    with tempfile.TemporaryDirectory() as cwd, tempfile.TemporaryDirectory() as pycache:
        env = environment(pycache)
        for command in commands.values():  # warm-up: page cache, .pyc files
            wall_ms(command, cwd, env)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):  # interleaved, so drift hits every measurement alike
            for name, command in commands.items():
                times[name].append(wall_ms(command, cwd, env))
        heaviest = import_times(cwd, env, top=12)
        where = subprocess.run(
            [PYTHON, "-c", "import coach; print(coach.__file__)"],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    median = {name: statistics.median(values) for name, values in times.items()}
    spread = {name: (min(values), max(values)) for name, values in times.items()}
    added = median["import"] - median["bare"]
    command = shlex.join(["python", "bench/bench_startup.py", *sys.argv[1:]])
    print("## coach start-up benchmark\n")
    print(f"- command: `{command}`")
    print(f"- Python {platform.python_version()}, {platform.platform()}, {os.cpu_count()} CPUs")
    # Say which install was measured without printing this machine's paths.
    root = Path(__file__).resolve().parent.parent
    origin = "this checkout" if Path(where).resolve().is_relative_to(root) else "site-packages"
    print(f"- coach imported from {origin}")
    print(f"- {args.runs} fresh subprocesses per row, interleaved, after one warm-up each\n")
    print("| measurement | median ms | min ms | max ms | minus bare python |")
    print("|---|---:|---:|---:|---:|")
    labels = {
        "bare": "`python -c pass`",
        "import": "`python -c 'import coach'`",
        "grader": "`python -c 'import coach; coach.Grader'` (loads openai)",
        "grade": "`coach grade finance-cs-manager s2 --offline --answer ...`",
    }
    for name, label in labels.items():
        low, high = spread[name]
        extra = "" if name == "bare" else f"{median[name] - median['bare']:.0f}"
        print(f"| {label} | {median[name]:.0f} | {low:.0f} | {high:.0f} | {extra} |")
    print()
    print("`python -X importtime -c 'import coach'`, the heaviest modules by cumulative time:\n")
    print("| module | cumulative ms | self ms |")
    print("|---|---:|---:|")
    for cumulative, own, name in heaviest:
        print(f"| `{name.strip()}` | {cumulative / 1000:.1f} | {own / 1000:.1f} |")
    print()
    ok = added <= IMPORT_TARGET_MS
    verdict = "PASS" if ok else "FAIL"
    print(
        f"import target <= {IMPORT_TARGET_MS:.0f} ms over bare python: {verdict} ({added:.0f} ms)"
    )
    return 1 if args.strict and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
