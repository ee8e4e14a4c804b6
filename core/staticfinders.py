"""A static-files finder for single files of npm packages.

Django's ``STATICFILES_DIRS`` takes whole directories; some packages ship a ``dist/`` of 50 MB
(ECharts: every build with its source maps) of which a page needs one file. ``NODE_STATIC_FILES``
maps a static path to a file under ``NODE_MODULES``; this finder serves exactly those files, in
development and to ``collectstatic``."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage


class NodeFileFinder(BaseFinder):
    def __init__(self, *args, **kwargs) -> None:
        root = Path(settings.NODE_MODULES)
        self.files = {path: root / source for path, source in getattr(settings, "NODE_STATIC_FILES", {}).items()}
        for path, target in self.files.items():  # collectstatic copies the file under its own name
            if Path(path).name != target.name:
                raise ValueError(f"NODE_STATIC_FILES: {path} must end in the file's own name {target.name}")

    def check(self, **kwargs):
        return [
            Error(f"{target} is missing: run `make install` (npm ci)", id="core.E001", obj=path)
            for path, target in self.files.items()
            if not target.is_file()
        ]

    def find(self, path, find_all=False, **kwargs):
        target = self.files.get(path)
        found = str(target) if target is not None and target.is_file() else None
        if find_all:
            return [found] if found else []
        return found

    def list(self, ignore_patterns):
        for path, target in self.files.items():
            if target.is_file():
                storage = FileSystemStorage(location=str(target.parent))
                storage.prefix = str(Path(path).parent)
                yield target.name, storage
