"""Spawn the worker and talk to it: one JSON line out, one JSON line back.

The CLI starts the worker as soon as --runtime is given, so Keras imports while
files are parsed; it lives for the whole run. Each
model gets a time limit; a worker that hangs is killed, one that dies is
reported, and either way the caller gets an answer it can print, never an
exception: static results must still come out.
"""

from __future__ import annotations

import importlib.util
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading

# Defaults; KERASCHECK_RUNTIME_TIMEOUT and KERASCHECK_PARAMETER_BUDGET override them.
MODEL_TIMEOUT = 10.0  # seconds to build one model, once Keras is imported
START_TIMEOUT = 120.0  # seconds to import Keras
PARAMETER_BUDGET = 100_000_000  # 400 MB of float32 weights
_MAX_STARTS = 3  # a worker that keeps dying is not restarted forever


class RuntimeUnavailable(Exception):
    """TensorFlow/Keras is not installed: runtime mode cannot start at all."""


def check_available() -> None:
    """Raise RuntimeUnavailable, with the exact fix, when Keras cannot be
    imported or a setting of the environment is not a number."""
    for name, default in (
        ("KERASCHECK_RUNTIME_TIMEOUT", MODEL_TIMEOUT),
        ("KERASCHECK_PARAMETER_BUDGET", PARAMETER_BUDGET),
    ):
        try:
            _setting(name, default)
        except ValueError as error:
            raise RuntimeUnavailable(str(error)) from None
    missing = [name for name in ("tensorflow", "keras") if _find(name) is None]
    if missing:
        raise RuntimeUnavailable(
            f"--runtime needs TensorFlow, and {' and '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} not installed for {sys.executable}; "
            f"install it with: {sys.executable} -m pip install 'kerascheck[runtime]'"
        )


def _find(name: str):
    try:
        return importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None


def _setting(name: str, default: float) -> float:
    """A positive number from the environment; ValueError, naming the
    variable, for anything else (a typo must not silently mean the default)."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value > 0 or value == float("inf"):
        raise ValueError(f"{name}={raw!r}: expected a positive number")
    return value


class Worker:
    """One worker process and the thread that reads its answers."""

    def __init__(self) -> None:
        env = dict(
            os.environ, TF_CPP_MIN_LOG_LEVEL="2", TF_ENABLE_ONEDNN_OPTS="0", PYTHONWARNINGS="ignore"
        )
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the worker
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kerascheck.runtime.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=env,
        )
        self.ready = False  # True once it said Keras is imported
        self._answers: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        try:
            for line in self.process.stdout:
                self._answers.put(line)
        except (OSError, ValueError):  # the pipe went away under us: same as the end
            pass
        self._answers.put(None)  # end of output: the worker is gone

    def receive(self, timeout: float) -> dict | None:
        """The next answer; None if the worker died; TimeoutError if it hangs."""
        try:
            line = self._answers.get(timeout=timeout)
        except queue.Empty:
            raise TimeoutError from None
        if line is None:
            return None
        try:
            return json.loads(line)
        except ValueError:
            return None

    def send(self, message: dict) -> bool:
        try:
            self.process.stdin.write((json.dumps(message) + "\n").encode("utf-8"))
            self.process.stdin.flush()
            return True
        except (BrokenPipeError, OSError, ValueError):
            return False

    def last_words(self) -> str:
        """The last line the worker wrote on stderr: usually why it died."""
        self._stderr.seek(0)
        lines = [
            line.strip()
            for line in self._stderr.read().decode("utf-8", "replace").splitlines()
            if line.strip()
        ]
        return lines[-1] if lines else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        try:
            self.process.stdin.close()
        except OSError:
            pass
        # stdout is left to the reader thread: it sees the end of the pipe and
        # stops; closing it here could raise inside that thread, on the user's stderr.
        self._stderr.close()


class Session:
    """Builds plans for a whole run with one worker; every failure is an answer."""

    def __init__(
        self,
        timeout: float | None = None,
        budget: int | None = None,
        start_timeout: float = START_TIMEOUT,
    ) -> None:
        self.timeout = timeout or _setting("KERASCHECK_RUNTIME_TIMEOUT", MODEL_TIMEOUT)
        self.budget = int(budget or _setting("KERASCHECK_PARAMETER_BUDGET", PARAMETER_BUDGET))
        self.start_timeout = start_timeout
        self._worker: Worker | None = None
        self._starts = 0
        self._next_id = 0
        self.given_up: str | None = None  # why runtime mode stopped for this run

    def build(self, plan_json: dict) -> dict:
        """The worker's answer, or {"status": "failed", "message": ...}: about this
        model, or about the whole run when "run" is set ("repeat": said before)."""
        if self.given_up:
            return {"status": "failed", "message": self.given_up, "run": True, "repeat": True}
        worker = self._ready_worker()
        if worker is None:
            return {"status": "failed", "message": self.given_up, "run": True}
        self._next_id += 1
        request = dict(plan_json, id=self._next_id, budget=self.budget)
        if not worker.send(request):
            return self._lost(worker, "could not be sent to the runtime worker")
        try:
            answer = worker.receive(self.timeout)
        except TimeoutError:
            self._discard()
            return {
                "status": "failed",
                "message": f"did not build within {self.timeout:g} s (worker stopped)",
            }
        if answer is None:
            return self._lost(worker, "crashed the runtime worker")
        return answer

    def start(self) -> None:
        """Spawn the worker now, so Keras imports while the files are parsed."""
        if self._worker is None and self._starts < _MAX_STARTS:
            self._starts += 1
            self._worker = Worker()

    def _ready_worker(self) -> Worker | None:
        if self._worker is not None and self._worker.ready:
            return self._worker
        if self._worker is None and self._starts >= _MAX_STARTS:
            self.given_up = f"stopped: the worker failed {self._starts} times"
            return None
        self.start()
        worker = self._worker
        try:
            hello = worker.receive(self.start_timeout)
        except TimeoutError:
            hello = None
            why = f"importing Keras took more than {self.start_timeout:g} s"
        else:
            why = worker.last_words() or "it exited"
        if not hello or not hello.get("ready"):
            self._discard()
            self.given_up = f"the worker could not start: {why}"
            return None
        worker.ready = True
        return worker

    def _lost(self, worker: Worker, what: str) -> dict:
        try:
            code = worker.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            code = None
        words = worker.last_words()
        self._discard()
        detail = f" (exit status {code}{': ' + words if words else ''})" if code else ""
        return {"status": "failed", "message": what + detail}

    def _discard(self) -> None:
        if self._worker is not None:
            self._worker.stop()
            self._worker = None

    def close(self) -> None:
        self._discard()
