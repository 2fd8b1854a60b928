"""Prints the dashboard's measured figures at the end of the run (reported, not asserted)."""

from peers import TIMINGS


def pytest_terminal_summary(terminalreporter):
    if TIMINGS:
        terminalreporter.section("dashboard timings")
        for name, value in TIMINGS.items():
            terminalreporter.write_line(f"{name}: {value}")
