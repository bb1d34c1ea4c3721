"""The dossier's own settings, kept in mkdocs.yml under ``extra.dossier``.

One place for the repository address (and the site's name and address,
MkDocs' own ``site_name`` and ``site_url``), so the site's "Edit this annotation"
and "Suggest an annotation" links and the CI workflows agree.  Read as
plain YAML (MkDocs-specific tags such as ``!ENV`` are tolerated), so the
pipeline does not depend on MkDocs to know its settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from .project import Project


class _Tolerant(yaml.SafeLoader):
    pass


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_Tolerant.add_multi_constructor("!", _any_tag)
_Tolerant.add_multi_constructor("tag:yaml.org,2002:python/", _any_tag)


@dataclass(frozen=True)
class Settings:
    repository: str | None = None  # e.g. https://github.com/owner/repo
    branch: str = "main"
    site_name: str = "Annotated dossier"
    site_url: str | None = None  # mkdocs.yml's site_url, always ending in "/"

    def page_url(self, path: str) -> str | None:
        """The absolute address of a page of the site (``path`` from its root), if known."""
        return f"{self.site_url}{path}" if self.site_url else None

    def tag_uri(self, year: str, specific: str) -> str:
        """A ``tag:`` URI (RFC 4151): a lasting identifier when the site has no address.

        The authority is the repository's host and path (or ``dossier.invalid``),
        dated by a year given by the caller, so the same thing keeps the same id.
        """
        where = (self.repository or "").split("://", 1)[-1].split("/", 1)
        authority = where[0] or "dossier.invalid"
        path = f"{where[1]}/" if len(where) > 1 and where[1] else ""
        return f"tag:{authority},{year}:{path}{specific}"

    def identifier(self, path: str, year: str) -> str:
        """The absolute address of ``path`` on the site, else a tag: URI for it."""
        return self.page_url(path) or self.tag_uri(year, path)

    def edit_url(self, path: str) -> str | None:
        return f"{self.repository}/edit/{self.branch}/{path}" if self.repository else None

    def new_file_url(self, folder: str) -> str | None:
        return f"{self.repository}/new/{self.branch}/{folder}" if self.repository else None


def load_settings(project: Project) -> Settings:
    try:
        data = yaml.load(project.config.read_text(encoding="utf-8"), Loader=_Tolerant)
    except (OSError, yaml.YAMLError):
        return Settings()
    extra = (data or {}).get("extra") or {}
    ours = extra.get("dossier") or {}
    repository = ours.get("repository")
    site_url = (data or {}).get("site_url")
    return Settings(repository=repository.rstrip("/") if repository else None,
                    branch=str(ours.get("branch") or "main"),
                    site_name=str((data or {}).get("site_name") or Settings.site_name),
                    site_url=str(site_url).rstrip("/") + "/" if site_url else None)
