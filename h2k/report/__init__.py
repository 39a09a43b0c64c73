"""What happened to every source resource, for people (Markdown) and programs (JSON)."""
