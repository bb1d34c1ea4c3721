"""Annotated-dossier publisher: an article kept verbatim, YAML annotations on top."""

__version__ = "0.1.0"
