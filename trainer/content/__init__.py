"""Course content: schema, loading and validation, question types, translation of content strings.

Pure Python: nothing here imports Flask or the database. Give it a folder (and a language), get validated,
translated objects.
"""
