"""The words an annotation file chooses from: its kinds, ratings and source types.

Kept apart from ``model.py`` so that the command line can offer the kinds
(``dossier new --kind``) without importing the whole model.
"""

KINDS = ("correction", "claim", "context", "update", "source")
RATINGS = ("accurate", "inaccurate", "imprecise", "needs-context", "unverified")
# What a source is, strongest first (the order of the sources page).
SOURCE_TYPES = ("primary", "news", "reference", "reprint")
