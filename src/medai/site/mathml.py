"""A Sphinx math renderer that writes MathML when the page is built: no MathJax, no CDN.

Sphinx's default renderer loads MathJax from a CDN, which a classroom offline
cannot reach. Browsers draw MathML natively; latex2mathml (used for feedback
pages too) converts the TeX.
"""

from __future__ import annotations

from docutils import nodes

from medai.grading.offline_math import tex_to_html


def _inline(self, node: nodes.Element) -> None:
    self.body.append(tex_to_html(node.astext(), display=False))
    raise nodes.SkipNode


def _block(self, node: nodes.Element) -> None:
    self.body.append(f'<div class="math">{tex_to_html(node.astext(), display=True)}</div>')
    raise nodes.SkipNode


def setup(app):
    app.add_html_math_renderer("mathml", (_inline, None), (_block, None))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
