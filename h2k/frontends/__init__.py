"""Front-ends: one package per input language, each lowering source nodes to the IR."""
