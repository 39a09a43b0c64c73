"""tosca-parser, run offline and quietly, its findings turned into coded diagnostics.

tosca-parser is imported here, only when a TOSCA template is compiled (it costs about 100 ms).
It logs through `logging` and prints, reports what it rejects as one ValidationError holding a
list of exceptions, and downloads URLs it meets; while it runs, its logger is silenced, its
output captured, and `urlopen` refuses (the imports were already checked, this is a second lock);
its imported files are parsed once each (parsed_once.py).
"""

from __future__ import annotations

import contextlib
import io
import logging
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any
from unittest import mock

from h2k.diagnostics.model import DiagnosticSink
from h2k.frontends.tosca.parsed_once import ParsedOnce
from h2k.frontends.tosca.positions import Positions

# A template whose parse raises something other than tosca-parser's own errors is reported, not crashed on.
_PARSER_FAILURES = (ValueError, TypeError, KeyError, AttributeError, IndexError, AssertionError, OSError,
                    RecursionError)


def parse(path: str, parameters: dict[str, object], positions: Positions, sink: DiagnosticSink) -> Any | None:
    """The ToscaTemplate of `path`, or None when tosca-parser rejects it (each reason reported)."""
    from toscaparser.common.exception import ExceptionCollector, ValidationError
    from toscaparser.tosca_template import ToscaTemplate

    try:
        with _offline_and_quiet():
            template = ToscaTemplate(path, parsed_params=dict(parameters))
    except ValidationError as error:
        found = ExceptionCollector.getExceptions() or [error]
        for exception in found:
            message = _message(exception)
            sink.report("H2K702", f"tosca-parser rejects the template: {message}", positions.of_message(message))
        return None
    except _PARSER_FAILURES as error:
        message = _message(error)
        sink.report("H2K702", f"tosca-parser fails on the template ({message})",
                    positions.of_message(message))
        return None
    return template


def _message(error: BaseException) -> str:
    text = getattr(error, "message", None) or str(error) or type(error).__name__
    name = type(error).__name__
    text = " ".join(str(text).split())
    return text if text.startswith(name) else f"{name}: {text}"


def _no_network(*_args: object, **_kwargs: object) -> object:
    raise urllib.error.URLError("h2k does not access the network")


@contextlib.contextmanager
def _offline_and_quiet() -> Iterator[None]:
    import toscaparser.imports
    from toscaparser.utils.urlutils import UrlUtils

    logger = logging.getLogger("tosca")
    level, propagate = logger.level, logger.propagate
    logger.setLevel(logging.CRITICAL + 1)
    logger.propagate = False
    try:
        with mock.patch.object(urllib.request, "urlopen", _no_network), \
                mock.patch.object(UrlUtils, "url_accessible", staticmethod(lambda _url: False)), \
                mock.patch.object(toscaparser.imports, "YAML_LOADER", ParsedOnce(toscaparser.imports.YAML_LOADER)), \
                contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            yield
    finally:
        logger.setLevel(level)
        logger.propagate = propagate
