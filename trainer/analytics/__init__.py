"""Coordinators' analytics that need no Flask and no database: item statistics and server-side SVG charts.

``items`` computes classical test theory figures (facility, item-rest discrimination, flags, translation gaps,
distractor rates) from running sums that the app keeps per question, so a report never re-scans responses.
``charts`` renders bar and line charts as standalone, script-free, deterministic SVG for ``<img>``. Callers pass
in already-translated labels; nothing here calls gettext, reads the clock or touches a request.
"""
