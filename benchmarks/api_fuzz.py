"""The long fuzz of the JSON API: tests/api/test_fuzz.py (schemathesis from the API's own
OpenAPI schema, every operation, as a student with a token for every area) with many more
generated requests per operation than the suite's bounded run. Prints the examples per operation,
the operations, the time taken, and passes or fails as the test does (0 server errors, 0 schema
violations).

    uv run python benchmarks/api_fuzz.py [--examples N]   # default 300
"""

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=300, help="examples per operation")
    args = parser.parse_args()
    env = {**os.environ, "API_FUZZ_EXAMPLES": str(args.examples)}
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/api/test_fuzz.py", "-n", "0", "-p", "no:logging"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.monotonic() - started
    passed = re.search(r"(\d+) passed", result.stdout)
    failed = re.search(r"(\d+) failed", result.stdout)
    print(f"api fuzz: {args.examples} examples per operation")
    print(f"  operations passed: {passed.group(1) if passed else 0}")
    print(f"  operations failed: {failed.group(1) if failed else 0}")
    print(f"  wall time: {elapsed:.1f} s")
    if result.returncode != 0:
        print(result.stdout[-5000:], result.stderr[-2000:], sep="\n", file=sys.stderr)
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
