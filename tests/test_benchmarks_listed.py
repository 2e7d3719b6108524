"""Every benchmark under benchmarks/ runs in `make bench`, so none is forgotten."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_it_runs_every_benchmark_script_in_make_bench():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    bench_recipe = makefile.split("\nbench:", 1)[1].split("\n\n", 1)[0]
    listed = set(re.findall(r"benchmarks/(\w+\.py)", bench_recipe))
    # A module named _*.py is shared set-up the benchmarks import, not a benchmark.
    scripts = {
        path.name for path in (ROOT / "benchmarks").glob("*.py") if not path.name.startswith("_")
    }
    assert scripts - listed == set(), "add these to the bench target in the Makefile"
