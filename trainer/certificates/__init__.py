"""Completion certificates: serials, signing, the signed data, verdicts, the PDF and Open Badges 3.0.

Pure Python: nothing here imports Flask or the database, reads the clock or calls gettext. Callers pass in the
keys, today's date, the revocation list and the translated labels; services and routes build on this package.
"""
