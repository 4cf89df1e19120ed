"""`python -m bench.peak OUT CMD...`: run CMD and write its peak RSS in MB to the file OUT.

Linux keeps a process's RSS high-water mark across fork and exec, so a
command started straight from the benchmark driver (which has DuckDB,
Polars and a demo world in memory) would report the driver's peak, not
its own. This launcher imports nothing heavy, so its own few MB are all
a command inherits; the figure it writes is the command's peak, or that of
any child process the command waited for, whichever is larger.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

if __name__ == "__main__":
    out, argv = Path(sys.argv[1]), sys.argv[2:]
    proc = subprocess.Popen(argv)
    _, status, usage = os.wait4(proc.pid, 0)
    out.write_text(str(round(usage.ru_maxrss / 1024)), encoding="utf-8")
    sys.exit(os.waitstatus_to_exitcode(status))
