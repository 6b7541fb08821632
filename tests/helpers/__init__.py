"""Helpers shared by the test modules (no tests here).

A test module imports from here, from ``tests.report_factory`` or from ``tests.conftest``, never from another
test module: a helper's home is then obvious and moving a test never breaks another one.
"""
