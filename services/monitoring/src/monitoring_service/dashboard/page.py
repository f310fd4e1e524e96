"""The ops dashboard and its sign-in page: server-rendered HTML, inline SVG, no script.

Every chart has a text alternative (title, description, and its figures as a table); the page
declares its language; text and chart colours keep WCAG AA contrast on white.
"""

from __future__ import annotations

from html import escape

from monitoring_service.dashboard.data import DashboardData
from monitoring_service.dashboard.sections import (
    drift_section,
    performance_section,
    prediction_section,
    services_section,
)

__all__ = ["render_dashboard", "render_login"]

_STYLE = """
body{font-family:system-ui,sans-serif;color:#111827;background:#fff;margin:0;line-height:1.45}
header{background:#1e3a8a;color:#fff;padding:12px 24px;display:flex;gap:24px;align-items:center;
flex-wrap:wrap}header h1{font-size:1.3rem;margin:0}header p{margin:0}
header button{background:#fff;color:#1e3a8a;border:0;padding:4px 10px;font:inherit;cursor:pointer}
main{padding:8px 24px 32px;max-width:1100px}h2{font-size:1.15rem;margin:28px 0 8px}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #9ca3af;padding:4px 8px;
text-align:left;font-size:.9rem}caption{text-align:left;font-weight:600}
.bad{color:#b91c1c;font-weight:600}.good{color:#15803d;font-weight:600}.muted{color:#4b5563}
a{color:#1d4ed8}details{margin:4px 0 12px}form.login{max-width:420px;display:grid;gap:8px}
input{font:inherit;padding:6px;border:1px solid #4b5563}
form.login button{font:inherit;padding:6px;background:#1e3a8a;color:#fff;border:0}
"""


def _page(title: str, body: str) -> str:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" '
            f'content="width=device-width,initial-scale=1"><title>{escape(title)}</title>'
            f"<style>{_STYLE}</style></head><body>{body}</body></html>")


def render_dashboard(data: DashboardData) -> str:
    """The whole dashboard page."""
    model = data.model
    described = (f"Model {escape(model['name'])} v{escape(model['version'])}, threshold "
                 f"{model['threshold']:.3g}, reference {model['reference_rows']:,} rows"
                 if model else f"No model loaded: {escape(data.problem or 'unknown reason')}")
    header = (f"<header><h1>Credit model monitoring</h1><p>{described}</p><p>Signed in as "
              f"{escape(data.caller)}</p><form method=\"post\" action=\"/dashboard/logout\">"
              f"<button type=\"submit\">Sign out</button></form></header>")
    body = (header + "<main>" + services_section(data.peers)
            + drift_section(data.latest, data.history)
            + prediction_section(data.latest, data.history)
            + performance_section(data.performance)
            + f'<p class="muted">Generated {data.generated_at:%Y-%m-%d %H:%M:%S} UTC.</p></main>')
    return _page("Credit model monitoring", body)


def render_login(message: str) -> str:
    """The sign-in form: an ops or admin API key, exchanged for a session cookie."""
    return _page("Sign in: credit model monitoring", (
        "<main><h1>Credit model monitoring</h1>"
        f'<p role="alert">{escape(message)}</p>'
        '<form class="login" method="post" action="/dashboard/login">'
        '<label for="api_key">API key (ops or admin)</label>'
        '<input id="api_key" name="api_key" type="password" autocomplete="off" required>'
        '<button type="submit">Sign in</button></form>'
        '<p class="muted">The key is sent once and never put in an address; the browser keeps '
        "a signed session cookie instead.</p></main>"))
