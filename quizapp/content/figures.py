"""Inline SVG figures: checked for alt text and for anything active before they are put in a page."""

from __future__ import annotations

import re
from xml.etree import ElementTree

SVG_NS = "{http://www.w3.org/2000/svg}"
FORBIDDEN_TAGS = {"script", "foreignObject", "iframe", "object", "embed", "use", "image", "style"}
_PROLOGUE = re.compile(r"^\s*(<\?xml[^>]*\?>\s*)?(<!--.*?-->\s*)*", re.S)


class FigureError(ValueError):
    """The SVG is malformed, lacks alt text or contains something that could run or load."""


def checked_svg(text: str) -> str:
    """Return the SVG markup ready to inline, or raise FigureError saying what is wrong."""
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise FigureError("DOCTYPE and entity declarations are not allowed")
    try:
        root = ElementTree.fromstring(text)  # noqa: S314 - trusted course files; DOCTYPE refused above
    except ElementTree.ParseError as exc:
        raise FigureError(f"not well-formed XML: {exc}") from exc
    if root.tag != f"{SVG_NS}svg":
        raise FigureError('the root element must be <svg xmlns="http://www.w3.org/2000/svg">')
    if root.get("role") != "img":
        raise FigureError('the <svg> element needs role="img"')
    title = root.find(f"{SVG_NS}title")
    if title is None or not "".join(title.itertext()).strip():
        raise FigureError("the <svg> element needs a non-empty <title> as its first description")
    if not (root.get("aria-labelledby") or root.get("aria-label")):
        raise FigureError("the <svg> element needs aria-labelledby (pointing at its <title>) or aria-label")
    for element in root.iter():
        name = element.tag.removeprefix(SVG_NS)
        if name in FORBIDDEN_TAGS:
            raise FigureError(f"<{name}> is not allowed in a figure")
        for attribute, value in element.attrib.items():
            local = attribute.rsplit("}", 1)[-1]
            if local.lower().startswith("on"):
                raise FigureError(f"event attribute {local!r} is not allowed")
            if local == "href" and not value.startswith("#"):
                raise FigureError("links to other documents are not allowed")
    return _PROLOGUE.sub("", text).strip()
