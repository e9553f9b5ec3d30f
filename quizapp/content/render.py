"""Server-side rendering of course text: Markdown prose with ``$...$`` LaTeX turned into MathML.

No JavaScript and no CDN are involved: the browser receives plain HTML and MathML.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from latex2mathml.converter import convert
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

# latex2mathml emits \langle and \rangle as identifiers; as fences they must be operators.
_ANGLE = re.compile(r"<mi>(&#x027E8;|&#x027E9;)</mi>")


# A lone letter in <mi> is set in italic; TeX (and the course notes) set capital Greek upright: Γ, Δ, Ω.
_CAPITAL_GREEK = re.compile(r"<mi>(&#x003(?:9[1-9A-F]|A[0-9]);)</mi>")


# An unknown command (a typo such as \Gama) is passed through as text; refuse it instead.
_UNKNOWN = re.compile(r">(\\[A-Za-z]+)<")


class LatexError(ValueError):
    """A formula could not be converted to MathML."""


def latex_to_mathml(tex: str, display: bool = False) -> str:
    """Convert one LaTeX formula to a ``<math>`` element; raises LatexError when it cannot."""
    source = tex.strip()
    if not source:
        raise LatexError("empty formula")
    # latex2mathml escapes '<' and '>' itself, but a bare '&' (alignment) would leak through unescaped.
    if "&" in source.replace(r"\&", ""):
        raise LatexError(f"alignment '&' is not supported in {source!r}; write one equation per formula")
    try:
        mathml = convert(source, display="block" if display else "inline")
    except Exception as exc:  # the converter raises assorted exception types on bad input
        raise LatexError(f"cannot convert {source!r}: {exc}") from exc
    unknown = _UNKNOWN.search(mathml)
    if unknown:
        raise LatexError(f"unknown command {unknown.group(1)!r} in {source!r}")
    mathml = _ANGLE.sub(r'<mo stretchy="false">\1</mo>', mathml)
    mathml = _CAPITAL_GREEK.sub(r'<mi mathvariant="normal">\1</mi>', mathml)
    return mathml.replace("<math ", f'<math alttext="{_attr(source)}" ', 1)


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def _render_math(content: str, options: dict[str, Any]) -> str:
    return latex_to_mathml(content, display=bool(options.get("display_mode")))


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    # Raw HTML is off: content authors write Markdown and LaTeX, never markup.
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    dollarmath_plugin(md, allow_space=True, allow_digits=False, renderer=_render_math)
    return md


def markdown_to_html(text: str) -> str:
    """Render block Markdown (paragraphs, lists, display math ``$$...$$``) to HTML with MathML."""
    return _markdown().render(text).strip()


def markdown_inline(text: str) -> str:
    """Render one line of Markdown with inline ``$...$`` math, without a wrapping paragraph."""
    return _markdown().renderInline(text.strip()).strip()
