"""Accessible HTML tables and lists: the text alternatives shown beside every chart.

Everything interpolated is escaped here, so a label or a sentence from a peer can never inject
markup into the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

__all__ = ["html_list", "html_table", "message", "paragraph"]


def html_table(caption: str, headers: Sequence[str], rows: Sequence[Sequence[str]],
               row_headers: bool = True, table_id: str | None = None) -> str:
    """A table with a caption, column headers and (by default) the first cell as row header."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = []
    for row in rows:
        cells = []
        for position, cell in enumerate(row):
            if position == 0 and row_headers:
                cells.append(f'<th scope="row">{escape(cell)}</th>')
            else:
                cells.append(f"<td>{escape(cell)}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    ident = f' id="{escape(table_id)}"' if table_id else ""
    return (f'<table class="ui-table"{ident}><caption>{escape(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")


def html_list(items: Sequence[str], heading: str | None = None, level: int = 3) -> str:
    """A bulleted list under an optional heading."""
    title = f"<h{level}>{escape(heading)}</h{level}>" if heading else ""
    entries = "".join(f"<li>{escape(item)}</li>" for item in items)
    return f"{title}<ul>{entries}</ul>" if items else title


def paragraph(text: str, css_class: str = "") -> str:
    klass = f' class="{escape(css_class)}"' if css_class else ""
    return f"<p{klass}>{escape(text)}</p>"


def message(text: str, kind: str = "info") -> str:
    """A notice: ``kind`` is info, warning or error (errors are announced at once)."""
    role = ' role="alert"' if kind == "error" else ' role="status"'
    return f'<p class="ui-message ui-{escape(kind)}"{role}>{escape(text)}</p>'
