"""Client for the Heat oracle: the real Heat engine, run in its own venv, answering over pipes.

Heat (openstack-heat) pulls ~120 packages and takes ~2 s to import, so it lives in a separate
venv and one long-lived worker process (heat_worker.py) serves every request of a test session.

Where the Heat venv comes from (``heat_python()``):

* ``H2K_HEAT_VENV``: an existing venv directory (or the python executable inside one);
* else ``~/.cache/h2k/heat-oracle``: used if it holds a finished install; created there with
  ``python3 -m venv`` + ``pip install openstack-heat`` only when ``H2K_HEAT_INSTALL=1``.

Response shapes are documented in heat_worker.py and in ``HeatOracle.evaluate``.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

WORKER = Path(__file__).with_name("heat_worker.py")
DEFAULT_VENV = Path.home() / ".cache" / "h2k" / "heat-oracle"
HEAT_REQUIREMENT = "openstack-heat"
INSTALL_MARKER = ".h2k-heat-installed"  # written only after pip succeeded, so half-built venvs are redone

DEFAULT_TIMEOUT = 60.0
STARTUP_TIMEOUT = 180.0

_reason: str | None = None  # why heat_python() returned None, for skip/fail messages


def _with_context(req: dict[str, Any], files: Mapping[str, str] | None, environment: Mapping[str, Any] | str | None,
                  parameters: Mapping[str, Any] | None) -> dict[str, Any]:
    """A request with the stack context Heat needs: files, an environment (text or data) and parameters."""
    if files:
        req["files"] = dict(files)
    if environment:
        req["environment"] = environment if isinstance(environment, str) else dict(environment)
    if parameters:
        req["parameters"] = dict(parameters)
    return req


class HeatOracleError(RuntimeError):
    """The worker failed: crashed, answered out of protocol, or could not start."""


class HeatOracleTimeout(HeatOracleError):
    """A request took longer than its timeout; the worker was killed and restarts on the next request."""


# ---------------------------------------------------------------------------------------------
# Locating / installing the Heat venv


def _venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _imports_heat(python: Path) -> str | None:
    """None if ``import heat`` works with that interpreter, else the reason (cheap: no engine import)."""
    try:
        proc = subprocess.run([str(python), "-I", "-c", "import heat"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"{python}: {exc}"
    if proc.returncode != 0:
        return f"{python} cannot import heat: {proc.stderr.strip()[-2000:]}"
    return None


def heat_unavailable_reason() -> str | None:
    """Why the last ``heat_python()`` call returned None (None if it did not)."""
    return _reason


def heat_python() -> str | None:
    """Path of a python that can import Heat, or None (see ``heat_unavailable_reason()``)."""
    global _reason
    _reason = None
    configured = os.environ.get("H2K_HEAT_VENV")
    if configured:
        path = Path(configured).expanduser()
        python = path if path.is_file() else _venv_python(path)
        if not python.exists():
            _reason = f"H2K_HEAT_VENV={configured}: no python at {python}"
            return None
        _reason = _imports_heat(python)
        return None if _reason else str(python)

    python = _venv_python(DEFAULT_VENV)
    if (DEFAULT_VENV / INSTALL_MARKER).exists() and python.exists():
        _reason = _imports_heat(python)
        if _reason is None:
            return str(python)
    if os.environ.get("H2K_HEAT_INSTALL") != "1":
        _reason = _reason or f"no Heat venv at {DEFAULT_VENV} and H2K_HEAT_INSTALL is not 1"
        return None
    _reason = _install(DEFAULT_VENV)
    return None if _reason else str(python)


@contextlib.contextmanager
def _install_lock(venv: Path) -> Iterator[None]:
    """Serialise installs across parallel test processes (pytest-xdist)."""
    venv.parent.mkdir(parents=True, exist_ok=True)
    with open(venv.parent / (venv.name + ".lock"), "w") as fh:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - non-POSIX
            yield
            return
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _install(venv: Path) -> str | None:
    """Create the venv and pip-install Heat; None on success, else the reason with pip's output."""
    with _install_lock(venv):
        if (venv / INSTALL_MARKER).exists() and _imports_heat(_venv_python(venv)) is None:
            return None  # another process finished it while we waited
        log: list[str] = []
        steps = [
            [sys.executable, "-m", "venv", "--clear", str(venv)],
            [str(_venv_python(venv)), "-m", "pip", "install", "--disable-pip-version-check", "-q", HEAT_REQUIREMENT],
        ]
        for cmd in steps:
            try:
                proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
            except (OSError, subprocess.SubprocessError) as exc:
                return f"Heat oracle install failed: {' '.join(cmd)}: {exc}"
            log.append(f"$ {' '.join(cmd)}\n{proc.stdout}{proc.stderr}")
            if proc.returncode != 0:
                output = "\n".join(log)[-6000:]
                (venv.parent / (venv.name + "-install.log")).write_text("\n".join(log))
                return f"Heat oracle install failed (exit {proc.returncode}):\n{output}"
        problem = _imports_heat(_venv_python(venv))
        if problem:
            return f"Heat oracle install finished but {problem}"
        (venv / INSTALL_MARKER).write_text(HEAT_REQUIREMENT + "\n")
        return None


# ---------------------------------------------------------------------------------------------
# The worker process


class _Worker:
    """One running heat_worker.py with a reader thread (so reads can time out)."""

    def __init__(self, python: str, startup_timeout: float) -> None:
        fd, self.stderr_path = tempfile.mkstemp(prefix="h2k-heat-worker-", suffix=".log")
        os.close(fd)
        self._stderr: IO[bytes] = open(self.stderr_path, "ab")  # noqa: SIM115 - lives as long as the process
        # Heat joins sets into some messages ("Invalid keyword(s) ...: a, b"); a fixed hash seed
        # makes those reproducible.  That rules out -I/-E, so the environment is cleaned instead.
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        env.update(PYTHONHASHSEED="0", PYTHONSAFEPATH="1", PYTHONNOUSERSITE="1")
        started = time.monotonic()
        self.proc = subprocess.Popen(
            [python, "-W", "ignore", str(WORKER)],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            encoding="utf-8",
            bufsize=1,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, name="heat-oracle-reader", daemon=True)
        self._reader.start()
        ready = self.receive(startup_timeout, what="start-up")
        if "ready" not in ready:
            self.kill()
            raise HeatOracleError(f"Heat worker sent {ready!r} instead of its ready line")
        self.ready: dict[str, Any] = ready["ready"]
        self.startup_seconds = time.monotonic() - started

    def _read(self) -> None:
        assert self.proc.stdout is not None
        with contextlib.suppress(OSError, ValueError):
            for line in self.proc.stdout:
                self.lines.put(line)
        self.lines.put(None)

    def stderr_tail(self, limit: int = 4000) -> str:
        try:
            return Path(self.stderr_path).read_text(errors="replace")[-limit:]
        except OSError:
            return ""

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(line.rstrip("\n") + "\n")
            self.proc.stdin.flush()
        except OSError as exc:
            raise HeatOracleError(f"Heat worker is gone ({exc}); stderr:\n{self.stderr_tail()}") from exc

    def receive(self, timeout: float, what: str = "request") -> dict[str, Any]:
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            self.kill()
            raise HeatOracleTimeout(f"Heat worker gave no answer to the {what} within {timeout:g} s") from None
        if line is None:
            code = self.proc.wait()
            raise HeatOracleError(f"Heat worker exited (code {code}) during the {what}; stderr:\n{self.stderr_tail()}")
        try:
            data = json.loads(line)
        except ValueError as exc:
            self.kill()
            raise HeatOracleError(f"Heat worker wrote a non-JSON line: {line[:500]!r}") from exc
        if not isinstance(data, dict):
            self.kill()
            raise HeatOracleError(f"Heat worker wrote {line[:500]!r}")
        return data

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self._reader.join(timeout=5)
        self._cleanup()

    def close(self, timeout: float = 10.0) -> None:
        """EOF on stdin ends the worker; kill it if it does not go."""
        if self.proc.poll() is None:
            with contextlib.suppress(OSError):
                assert self.proc.stdin is not None
                self.proc.stdin.close()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._reader.join(timeout=5)
        self._cleanup()

    def _cleanup(self) -> None:
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        self._stderr.close()
        with contextlib.suppress(OSError):
            os.unlink(self.stderr_path)


class HeatOracle:
    """Ask the real Heat engine what a template means.

    One worker process is started lazily and reused; a request that exceeds its timeout kills
    the worker (raising ``HeatOracleTimeout``) and the next request starts a new one.  Safe to
    share between threads (requests are serialised).
    """

    def __init__(self, python: str | None = None, *, timeout: float = DEFAULT_TIMEOUT,
                 startup_timeout: float = STARTUP_TIMEOUT) -> None:
        found = python or heat_python()
        if found is None:
            raise HeatOracleError(f"Heat oracle not available: {heat_unavailable_reason()}")
        self.python = found
        self.timeout = timeout
        self.startup_timeout = startup_timeout
        self.starts = 0  # how many worker processes were started (restarts = starts - 1)
        self._worker: _Worker | None = None
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    # -- lifecycle ------------------------------------------------------------------------------

    def _ensure(self) -> _Worker:
        if self._worker is not None and not self._worker.alive():
            self._worker.kill()
            self._worker = None
        if self._worker is None:
            self._worker = _Worker(self.python, self.startup_timeout)
            self.starts += 1
        return self._worker

    def start(self) -> dict[str, Any]:
        """Start the worker now (otherwise the first request does); returns its ready info."""
        with self._lock:
            worker = self._ensure()
            return dict(worker.ready, client_startup_seconds=worker.startup_seconds)

    @property
    def pid(self) -> int | None:
        return self._worker.proc.pid if self._worker is not None and self._worker.alive() else None

    def close(self) -> None:
        with self._lock:
            if self._worker is not None:
                self._worker.close()
                self._worker = None

    def __enter__(self) -> HeatOracle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- requests -------------------------------------------------------------------------------

    def request(self, payload: Mapping[str, Any], timeout: float | None = None) -> dict[str, Any]:
        """Send one request object (an ``id`` is assigned) and return the worker's answer."""
        rid = next(self._ids)
        line = json.dumps({**payload, "id": rid}, ensure_ascii=True)
        return self._exchange(line, rid, timeout)

    def request_line(self, line: str, timeout: float | None = None) -> dict[str, Any]:
        """Send a raw line (for exercising the worker's handling of malformed input)."""
        if "\n" in line.rstrip("\n"):
            raise ValueError("one request per line: the text must not contain newlines")
        return self._exchange(line, None, timeout)

    def _exchange(self, line: str, rid: int | None, timeout: float | None) -> dict[str, Any]:
        with self._lock:
            worker = self._ensure()
            worker.send(line)
            try:
                resp = worker.receive(self.timeout if timeout is None else timeout)
            except HeatOracleError:
                if not worker.alive():
                    self._worker = None
                    worker.kill()
                raise
            if rid is not None and resp.get("id") != rid:
                self._worker = None  # out of step with its answers: start afresh
                worker.kill()
                raise HeatOracleError(f"Heat worker answered id {resp.get('id')!r} to request {rid}")
        return resp

    def ping(self) -> dict[str, Any]:
        return self.request({"op": "ping"})

    def evaluate(self, template: str | Mapping[str, Any], files: Mapping[str, str] | None = None,
                 environment: Mapping[str, Any] | str | None = None, stack_name: str = "teststack",
                 parameters: Mapping[str, Any] | None = None, timeout: float | None = None) -> dict[str, Any]:
        """Everything Heat says about ``template`` (text, parsed by Heat's own YAML/JSON loader).

        Returns ``{"id", "parse_error", "version", "validation_errors", "template_validate",
        "conditions", "resources", "disabled_resources", "outputs", "parameters"}``; every
        evaluated slot is ``{"value": ...}`` or ``{"error": {"type", "message", ...}}``
        (``unwrap()`` turns that into a value or an exception).
        """
        req: dict[str, Any] = {"template": template, "stack_name": stack_name}
        return self._checked(self.request(_with_context(req, files, environment, parameters), timeout))

    def snippet(self, template: str | Mapping[str, Any] | None, snippet: Any, files: Mapping[str, str] | None = None,
                environment: Mapping[str, Any] | str | None = None, stack_name: str = "teststack",
                parameters: Mapping[str, Any] | None = None, timeout: float | None = None) -> dict[str, Any]:
        """Resolve ``snippet`` (JSON data) in the context of the template's stack: ``{"value"}`` or ``{"error"}``.

        ``template=None`` uses an empty latest-version HOT template.
        """
        req: dict[str, Any] = {"snippet": snippet, "stack_name": stack_name}
        if template is not None:
            req["template"] = template
        return self._checked(self.request(_with_context(req, files, environment, parameters), timeout))

    @staticmethod
    def _checked(resp: dict[str, Any]) -> dict[str, Any]:
        if "request_error" in resp:
            raise HeatOracleError(f"Heat worker rejected the request: {resp['request_error']}")
        return resp


class HeatEvaluationError(Exception):
    """A slot that Heat could not evaluate, raised by ``unwrap``."""

    def __init__(self, error: Mapping[str, Any]) -> None:
        super().__init__(f"{error.get('type')}: {error.get('message')}")
        self.type: str = str(error.get("type"))
        self.message: str = str(error.get("message"))
        self.info = dict(error)


def unwrap(slot: Mapping[str, Any]) -> Any:
    """``{"value": v}`` -> v; ``{"error": e}`` -> raise HeatEvaluationError(e)."""
    if "error" in slot:
        raise HeatEvaluationError(slot["error"])
    return slot["value"]
