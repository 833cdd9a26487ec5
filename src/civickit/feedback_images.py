"""Images of the assignment shown in feedback: `![logo](images/logo.png)` becomes a cell attachment.

Feedback is one HTML file per notebook; nbgrader's release_feedback hands the learner only that file,
and the kit's sanitiser (civickit.safe_html) keeps images given as data: only (a browser fetches any
other address by itself). So an image next to the notebook would show as nothing. This step embeds
it, as nbconvert embeds a cell's attachments, but only an image file of the assignment's SOURCE
folder (the trainer's file, already released to every learner): a path in a learner's markdown
cannot reach another file (`../../gradebook.db`, `/etc/...`), and a file that is not PNG/JPEG/GIF/WebP
is left as the text it was.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path
from urllib.parse import unquote

from nbgrader.preprocessors import NbGraderPreprocessor

IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
               ".webp": "image/webp"}
MAX_IMAGE_BYTES = 5 * 1024**2
# ![alt](path) or ![alt](<path> "title"): nbconvert's markdown reads the same forms.
MARKDOWN_IMAGE = re.compile(r'(!\[[^\]\n]*\]\(\s*)(<[^>\n]+>|[^)\s]+)((?:\s+"[^"\n]*")?\s*\))')


def _source_folder(config, resources) -> Path | None:
    from nbgrader.coursedir import CourseDirectory

    try:
        coursedir = CourseDirectory(config=config)
        return Path(coursedir.format_path(coursedir.source_directory, ".", resources["nbgrader"]["assignment"])).resolve()
    except (KeyError, TypeError, OSError):
        return None


def image_of(folder: Path, address: str) -> tuple[str, bytes] | None:
    """(mime type, bytes) of the image `address` names inside `folder`, or None if it names none there."""
    address = unquote(address.strip("<>"))
    if not address or re.match(r"[a-z][a-z0-9+.-]*:", address, re.I) or address.startswith(("/", "\\", "#")):
        return None  # web addresses, data:, attachment:, absolute paths
    path = (folder / address.split("#")[0].split("?")[0]).resolve()
    if folder not in path.parents or path.suffix.lower() not in IMAGE_TYPES or not path.is_file():
        return None
    if path.stat().st_size > MAX_IMAGE_BYTES:
        return None
    return IMAGE_TYPES[path.suffix.lower()], path.read_bytes()


class EmbedAssignmentImages(NbGraderPreprocessor):
    """Markdown images that are files of the assignment's source folder become attachments (data: in HTML)."""

    def preprocess(self, nb, resources):
        self._folder = _source_folder(self.config, resources)
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "markdown" or self._folder is None:
            return cell, resources

        def embed(match):
            found = image_of(self._folder, match.group(2))
            if found is None:
                return match.group(0)
            mime, data = found
            name = f"civickit-{len(attachments)}{Path(unquote(match.group(2).strip('<>'))).suffix.lower()}"
            attachments[name] = {mime: base64.b64encode(data).decode("ascii")}
            return f"{match.group(1)}attachment:{name}{match.group(3)}"

        attachments = dict(cell.get("attachments") or {})
        cell.source = MARKDOWN_IMAGE.sub(embed, cell.source)
        if attachments:
            cell.attachments = attachments
        return cell, resources
