"""The HOT front-end: Heat Orchestration Templates, version by version, into the IR."""
