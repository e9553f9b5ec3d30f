"""Server-side rendering: LaTeX to valid MathML, Markdown prose without raw HTML."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from quizapp.content.render import LatexError, latex_to_mathml, markdown_inline, markdown_to_html

MATHML = "{http://www.w3.org/1998/Math/MathML}"


@pytest.mark.parametrize(
    "tex",
    [
        r"x^{(i)\langle j\rangle}",
        r"x^{(i)<j>}",
        r"\Gamma_u",
        r"P(y^{\langle t\rangle} \mid y^{\langle 1\rangle}, \ldots, y^{\langle t-1\rangle})",
        r"c^{\langle t\rangle} = \Gamma_u * \tilde{c}^{\langle t\rangle}"
        r" + (1 - \Gamma_u) * c^{\langle t-1\rangle}",
    ],
)
def test_formulas_become_well_formed_mathml(tex: str) -> None:
    """Each course formula, angle brackets included, converts to a parseable <math> element."""
    root = ElementTree.fromstring(latex_to_mathml(tex))  # noqa: S314 - our own output
    assert root.tag == f"{MATHML}math"
    assert root.get("alttext") == tex
    assert list(root.iter(f"{MATHML}mi")) or list(root.iter(f"{MATHML}mo"))


def test_angle_brackets_are_fences() -> None:
    """\\langle and \\rangle come out as operators (fences), not identifiers."""
    root = ElementTree.fromstring(latex_to_mathml(r"a^{\langle t\rangle}"))  # noqa: S314 - our own output
    operators = [element.text for element in root.iter(f"{MATHML}mo")]
    assert operators == ["\u27e8", "\u27e9"]


def test_capital_greek_is_upright() -> None:
    """Γ and the other capital Greek letters are set upright, as in the notes; lower-case γ stays italic."""
    root = ElementTree.fromstring(latex_to_mathml(r"\Gamma_f + \Delta \gamma"))  # noqa: S314 - our own output
    variants = {element.text: element.get("mathvariant") for element in root.iter(f"{MATHML}mi")}
    assert variants == {"\u0393": "normal", "f": None, "\u0394": "normal", "\u03b3": None}


def test_display_math_is_a_block() -> None:
    """Display formulas are rendered with display="block"."""
    assert 'display="block"' in latex_to_mathml(r"\sigma(z)", display=True)


@pytest.mark.parametrize("tex", ["", r"x^{", r"\left( x", r"\Gama_u", r"a & b"])
def test_bad_latex_is_an_error(tex: str) -> None:
    """Empty, unbalanced, misspelt or aligned formulas raise LatexError instead of producing broken markup."""
    with pytest.raises(LatexError):
        latex_to_mathml(tex)


def test_markdown_renders_math_and_escapes_html() -> None:
    """Inline $...$ becomes MathML, and raw HTML in prose is shown as text, never as markup."""
    html = markdown_to_html("Compute $\\Gamma_u$ <script>alert(1)</script>\n\n$$a = b$$\n")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert html.count("<math") == 2
    assert '<div class="math block">' in html


def test_inline_markdown_has_no_paragraph() -> None:
    """Option text renders inline, without a wrapping <p>."""
    assert markdown_inline("**bold** and $x$").startswith("<strong>bold</strong> and <span")
