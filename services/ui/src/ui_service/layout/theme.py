"""The page's look and page-level script: theme, CSS (contrast, visible focus) and <head>.

The theme keeps Gradio's layout but darkens every colour that carries text to at least 4.5:1
and forces light mode (the contrast was checked for light colours). The head script sets the
page's ``lang`` from the advisor's language before anything renders, and sends an advisor whose
session expired back to the sign-in page instead of showing an error.
"""

from __future__ import annotations

from pathlib import Path

import gradio as gr

__all__ = ["CSS", "HEAD", "LANGUAGE_JS", "head", "theme"]

_INK, _SUBDUED, _ACCENT, _FOCUS = "#1A1A1A", "#4A4A4A", "#0B3D91", "#1A1A1A"


def theme() -> gr.themes.Base:
    """Gradio's default theme with text colours of 4.5:1 or more and a dark-blue accent."""
    return gr.themes.Default(primary_hue="blue", neutral_hue="gray").set(
        body_text_color=_INK, body_text_color_subdued=_SUBDUED,
        body_text_color_dark=_INK, body_background_fill_dark="#FFFFFF",
        block_info_text_color=_SUBDUED, block_label_text_color=_INK,
        block_title_text_color=_INK, input_placeholder_color=_SUBDUED,
        button_primary_background_fill=_ACCENT, button_primary_background_fill_hover="#082C69",
        button_primary_text_color="#FFFFFF", button_primary_border_color=_ACCENT,
        button_secondary_background_fill="#FFFFFF", button_secondary_text_color=_ACCENT,
        button_secondary_border_color=_ACCENT, link_text_color=_ACCENT,
        checkbox_label_text_color=_INK, checkbox_label_text_color_selected=_INK,
        input_border_color="#6B6B6B", checkbox_border_color="#6B6B6B",
    )


CSS = f"""
:root, .dark {{ color-scheme: light; }}
.gradio-container a {{ color: {_ACCENT}; }}
/* Visible focus on everything that can take it (WCAG 2.4.7). */
.gradio-container *:focus-visible, .gradio-container input:focus,
.gradio-container textarea:focus, .gradio-container button:focus-visible,
.gradio-container [role=tab]:focus-visible {{
  outline: 3px solid {_FOCUS} !important; outline-offset: 2px !important;
  box-shadow: 0 0 0 5px #FFD23F !important;
}}
.gradio-container input[type=radio]:focus-visible + span,
.gradio-container label:focus-within {{ outline: 3px solid {_FOCUS}; outline-offset: 2px; }}
.ui-decision {{ font-size: 1.6rem; margin: .3rem 0; }}
#whatif-text {{ font-size: 1.2rem; }}
.ui-subject {{ font-weight: 600; margin: 0; }}
.ui-small {{ font-size: .9rem; color: {_SUBDUED}; }}
.ui-message {{ padding: .5rem .7rem; border-left: 5px solid {_ACCENT}; background: #F2F5FA;
  color: {_INK}; margin: .4rem 0; }}
.ui-warning {{ border-left-color: #8A5A00; background: #FFF8E6; }}
.ui-error {{ border-left-color: #B00020; background: #FDECEE; }}
.ui-success {{ border-left-color: #1B6E20; background: #EDF7EE; }}
.ui-gauge {{ width: 100%; max-width: 560px; height: auto; display: block; }}
.ui-table {{ border-collapse: collapse; margin: .5rem 0; font-size: .95rem; color: {_INK}; }}
.ui-table caption {{ text-align: left; font-weight: 600; padding: .3rem 0; }}
.ui-table th, .ui-table td {{ border: 1px solid #6B6B6B; padding: .25rem .5rem;
  text-align: left; }}
.ui-table thead th {{ background: #E8ECF2; }}
.ui-errors {{ color: #B00020; }}
.ui-errors li {{ margin: .2rem 0; }}
.ui-header h1 {{ font-size: 1.5rem; margin: 0; }}
.ui-header form {{ display: inline; }}
.ui-header button {{ font: inherit; color: {_ACCENT}; background: #FFF;
  border: 2px solid {_ACCENT}; border-radius: 4px; padding: .2rem .6rem; cursor: pointer; }}
details > summary {{ cursor: pointer; color: {_ACCENT}; font-weight: 600; }}
.ui-field-error textarea, .ui-field-error input {{ border: 2px solid #B00020 !important; }}
footer {{ display: none !important; }}
/* Gradio's status tracker (the timer and progress text over a busy component) fades in and
   out, and pulses while generating: mid-fade its ink is grey on white, under 4.5:1 (axe caught
   it). Shown or hidden at once, its text is always the ink colour; the busy border stays. */
.gradio-container [data-testid=status-tracker] {{ transition: none !important; }}
.gradio-container [data-testid=status-tracker].generating {{ animation: none !important; }}
.gradio-container [data-testid=status-tracker] .progress-text,
.gradio-container [data-testid=status-tracker] .meta-text,
.gradio-container [data-testid=status-tracker] .meta-text-center {{ color: {_INK}; }}
"""

HEAD = """
<script>
(function () {
  var match = document.cookie.match(/(?:^|; )credit_ui_lang=(en|fr)/);
  document.documentElement.lang = match ? match[1] : "en";
  var originalFetch = window.fetch;
  window.fetch = function () {
    return originalFetch.apply(this, arguments).then(function (response) {
      if (response.status === 401 && String(response.url).indexOf("/app/") !== -1) {
        window.location.assign("/login?reason=expired&next=/app/");
      }
      return response;
    });
  };
  // Gradio gives each radio input its own name, which breaks the native radio group (arrow
  // keys, "1 of 3"), and names the group with a plain span: make each fieldset one named
  // radio group, again after every re-render.
  function enhance() {
    document.querySelectorAll("fieldset").forEach(function (set, n) {
      var inputs = set.querySelectorAll("input[type=radio]");
      if (!inputs.length) { return; }
      var key = set.id || "group" + n;
      inputs.forEach(function (input) {
        if (input.name !== "g-" + key) { input.name = "g-" + key; }
      });
      var title = set.querySelector("[data-testid=block-info]");
      if (title) {
        if (!title.id) { title.id = "title-" + key; }
        if (set.getAttribute("aria-labelledby") !== title.id) {
          set.setAttribute("aria-labelledby", title.id);
          set.setAttribute("role", "radiogroup");
        }
      }
    });
  }
  function markInvalid() {
    document.querySelectorAll(".block input[type=text], .block textarea").forEach(function (e) {
      var wrong = !!e.closest(".ui-field-error");
      if ((e.getAttribute("aria-invalid") === "true") !== wrong) {
        e.setAttribute("aria-invalid", wrong ? "true" : "false");
      }
    });
  }
  var pending = false;
  new MutationObserver(function () {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; enhance(); markInvalid(); });
  }).observe(document.documentElement, {subtree: true, childList: true, attributes: true,
                                         attributeFilter: ["name", "class"]});
})();
</script>
"""


def head() -> str:
    """The page's head: the script above, and a preload of Gradio's Plotly bundle so that the
    first chart does not wait for its download."""
    assets = Path(gr.__file__).parent / "templates" / "frontend" / "assets"
    preload = "".join(f'<link rel="modulepreload" href="./assets/{bundle.name}">'
                      for bundle in sorted(assets.glob("PlotlyPlot-*.js")))
    return HEAD + preload


#: Runs in the browser when the advisor switches language: the page's lang follows at once.
LANGUAGE_JS = """
(...inputs) => {
  const language = inputs[0] === "fr" ? "fr" : "en";
  document.documentElement.lang = language;
  document.cookie = "credit_ui_lang=" + language + "; path=/; max-age=31536000; samesite=strict";
  return inputs;
}
"""
