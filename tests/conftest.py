"""Shared fixtures: hand-made snapshot building and the project's paths."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
