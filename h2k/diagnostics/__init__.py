"""Coded findings: the registry of codes, the sink that collects them, and their renderers."""

from h2k.diagnostics.codes import CODES, Code, Severity, code
from h2k.diagnostics.model import Diagnostic, DiagnosticSink

__all__ = ["CODES", "Code", "Diagnostic", "DiagnosticSink", "Severity", "code"]
