"""Grammars of the languages embedded in templates; installed as the package `h2k.grammars`."""
