"""Where uploaded files go: a random name, never the name the user's browser sent."""

import secrets
from pathlib import PurePath

from django.utils.deconstruct import deconstructible


@deconstructible
class RandomUploadPath:
    """An ``upload_to`` that stores files under ``folder`` with a random name.

    Only the extension is kept (lower-cased) so the download view can set the content
    type; the original name is kept on the row for display.
    """

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        suffix = PurePath(filename).suffix.lower()[:10]
        return f"{self.folder}/{secrets.token_hex(16)}{suffix}"

    def __eq__(self, other) -> bool:
        return isinstance(other, RandomUploadPath) and other.folder == self.folder
