"""Backends: one package per target, each a table from IR role to emitter function."""
