"""The immutability pass: boot scripts read into image recipes and runtime configuration (analyse.py)."""

from h2k.passes.immutability.analyse import immutability

__all__ = ["immutability"]
