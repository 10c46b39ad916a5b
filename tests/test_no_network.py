"""No data leaves the machine: a full run and an anonymisation connect to nothing.

Every socket, name lookup or HTTP request passes a CPython audit event, which the harness
reports. One socket is expected and allowed: importing spaCy imports urllib3, which probes for
IPv6 by binding a socket to the loopback address ::1 and closing it (no traffic, no connection).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HARNESS = """
import sys
def hook(event, args):
    if event.split(".")[0] in ("socket", "http", "urllib", "ftplib", "smtplib", "webbrowser"):
        sys.__stderr__.write(f"NETWORK: {event} {args[1:]!r:.100}\\n")
sys.addaudithook(hook)
sys.argv = ["thematic", *sys.argv[1:]]
"""
LOOPBACK_PROBE = {"NETWORK: socket.__new__ (10, 1, 0)", "NETWORK: socket.bind (('::1', 0),)"}


def run_audited(*args: str, body: str = "from thematic.cli import main\nmain()\n") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", HARNESS + body, *args], capture_output=True, text=True, timeout=300)


def network_events(result: subprocess.CompletedProcess) -> set[str]:
    return {line for line in result.stderr.splitlines() if line.startswith("NETWORK")}


def test_the_audit_hook_sees_sockets_and_lookups():
    result = run_audited(body="import socket\nsocket.socket().close()\ntry:\n    socket.getaddrinfo('example.invalid', 80)\n"
                              "except OSError:\n    pass\n")
    events = network_events(result)
    assert any("socket.__new__" in e for e in events) and any("socket.getaddrinfo" in e for e in events)


def test_a_full_run_connects_to_nothing(tiny_study: Path):
    result = run_audited("run", str(tiny_study))
    assert result.returncode == 0, result.stderr
    assert (tiny_study / "analysis" / "6-report.md").is_file()
    assert network_events(result) <= LOOPBACK_PROBE, network_events(result)


def test_anonymise_connects_to_nothing(tiny_study: Path, tmp_path: Path):
    result = run_audited("anonymise", str(tiny_study), "--out", str(tmp_path / "kopi"))
    assert result.returncode == 0, result.stderr
    assert network_events(result) <= LOOPBACK_PROBE, network_events(result)
