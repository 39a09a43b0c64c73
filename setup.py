"""Package discovery that pyproject.toml cannot express: every h2k package, plus h2k.grammars.

The grammars live in `grammars/` at the top of the repository (pyproject.toml maps the package
onto that folder); setuptools' `find` only sees folders below `h2k/`, so the list is made here.
"""

from setuptools import find_namespace_packages, setup

setup(packages=[*find_namespace_packages(include=["h2k*"]), "h2k.grammars"])
