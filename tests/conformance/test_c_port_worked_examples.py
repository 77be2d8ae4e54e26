"""The C port's stream, step by step, against the numbers docs/stream-spec.md prints: Philox's
known answers, the binary32 constants' literals against their bit patterns, and the worked
examples of tensorseed-stream/2 (section 17) with their intermediate values
(ports/c/test_stream.c; a failure names the step, where the conformance files only differ)."""

from __future__ import annotations

import subprocess

from tests.conformance.ports import C_PORT


def test_c_port_reproduces_the_spec_worked_examples() -> None:
    out = subprocess.run(
        ["make", "-s", "-C", str(C_PORT.parent), "check"], capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "FAIL" not in out.stdout
    passed, total = out.stdout.split("\n")[-2].split(" checks passed")[0].split(" of ")
    assert passed == total and int(total) > 100, out.stdout
