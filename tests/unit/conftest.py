"""Unit-test settings shared by every package below."""

from __future__ import annotations

import os

from hypothesis import settings

# `make mutation` re-runs the tests that call a function once per mutant of it: there, a few
# random examples per property keep the run within its time; the edge cases are explicit.
settings.register_profile("mutation", max_examples=10, deadline=None)
if "MUTANT_UNDER_TEST" in os.environ:
    settings.load_profile("mutation")
