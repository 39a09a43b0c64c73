"""`h2k hint`: write what h2k needed but could not infer into the template, as placeholders.

`placeholder` is the format (the compiler reads it too, so it stays import-light); `needs` finds
what to ask for from a compile; `insert` edits the text; `write` ties them together.
"""
