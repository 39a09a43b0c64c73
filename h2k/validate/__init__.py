"""Checks of generated output against published schemas, so bad manifests fail here, not at apply time."""
