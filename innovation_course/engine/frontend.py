"""What the course adds to JupyterLab and Notebook 7 so answer widgets behave: keys and saved files.

Two small pieces, both shipped with the package (no JupyterLab extension to build):

* :func:`install` (called by every ``Workbook``) runs a short script in the page that keeps plain keys
  pressed in an answer widget inside the widget (kept in the setup cell's output, so a reloaded page runs it
  again). JupyterLab and Notebook 7 bind single keys to notebook
  commands ("b" inserts a cell, arrows move between cells, Enter edits a cell) for any focused element
  that is not a text field, so a focused radio button or dropdown lost its keys to the notebook. Lumino,
  which matches keys to commands, skips every shortcut for a target carrying ``data-lm-suppress-shortcuts``
  (its ``targetDistance``); the script sets that attribute on the focused control for the length of one
  plain key press, from a capture listener on ``window`` that runs before Lumino's (Lab listens on
  ``document`` bubbling, Notebook 7 capturing). Ctrl, ⌘ and Alt combinations (Ctrl+S), Escape and Tab
  still reach the notebook. In a text field, where ipywidgets keeps every key (Ctrl+S too) and sends the
  text only on Enter or when the field is left, Ctrl/⌘+S first sends the text, waits for the kernel's new
  answer line, then saves. Escape in a widget hands the keyboard back to the notebook (its cell selected, in
  command mode), and a dropdown stepped with the arrow keys sends its choice once, when it is committed (Enter
  or leaving it), so each step is not a new answer and a new try. The course's settings (below) hide the cell
  toolbar, so Tab then Enter from an answer cannot duplicate, move or delete the cell. The script carries
  :data:`access.SCRIPT` too (names, states, Tab stops, the selected toggle's look).
* :func:`pre_save_hook` (a Jupyter server extension, enabled by the config file the package installs in
  ``<prefix>/etc/jupyter/jupyter_server_config.d/``) writes, in place of each answer widget in the saved
  file, a line that says how to change the answer (and in place of an explorer's controls, how to bring
  them back). A widget cannot be shown again before its cell runs
  (its model lives in the kernel), so the saved widget output showed "Error displaying widget: model not
  found" after reopening; now the reopened notebook shows that line and the saved answer line below it.
  The front end keeps its live widgets: only the file on disk changes.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from . import access, journal, records, repair

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
REOPENED_TEXT = ("To change this answer, choose Run ▸ Run All Cells (or run the first code cell, then this one). "
                 "Your saved answer:")
CONTROLS_TEXT = ("The controls of this cell come back when it runs (Run ▸ Run All Cells, or run the first code "
                 "cell, then this one). Below: what they showed when the notebook was saved.")
SCRIPT = r"""
(() => {
  if (window.__innovationCourseKeys) return;
  window.__innovationCourseKeys = true;
  const SUPPRESS = 'data-lm-suppress-shortcuts';
  const inWidget = el => el instanceof Element && !!el.closest('.jp-OutputArea-output .jupyter-widgets');
  // A plain key pressed in an answer widget belongs to the widget: mark the focused element so Lumino finds
  // no shortcut for it, before Lumino's own listener runs (capture phase on window), and unmark it afterwards.
  window.addEventListener('keydown', event => {
    const target = event.target;
    if (!inWidget(target) || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === 'Escape' || event.key === 'Tab' || target.hasAttribute(SUPPRESS)) return;
    target.setAttribute(SUPPRESS, 'true');
    setTimeout(() => target.removeAttribute(SUPPRESS), 0);
  }, true);
  // Ctrl/Cmd+S in an answer's text field: ipywidgets keeps every key pressed there (JupyterLab hears
  // shortcuts on document, after the field), and the field sends its text only on Enter or when left. So:
  // stop this key press, leave the field (it sends the text), wait for the kernel's new answer line in the
  // cell (or 3 s), then press Ctrl/Cmd+S again on the notebook, outside the widget, and come back.
  const isField = el => inWidget(el) && el.matches('input, textarea, select');
  const sent = new WeakMap();  // each field's text when it was last focused
  window.addEventListener('focusin', event => {
    if (isField(event.target)) sent.set(event.target, event.target.value);
  }, true);
  window.addEventListener('keydown', event => {
    const target = event.target;
    if (!isField(target) || !(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
    if ((event.key || '').toLowerCase() !== 's') return;
    event.preventDefault();
    event.stopImmediatePropagation();
    const keys = {key: 's', code: 'KeyS', ctrlKey: event.ctrlKey, metaKey: event.metaKey, bubbles: true,
                  cancelable: true};
    const outputs = target.closest('.jp-OutputArea');
    let done = false;
    const save = () => {
      if (done) return;
      done = true;
      observer.disconnect();
      const again = new KeyboardEvent('keydown', keys);
      for (const name of ['keyCode', 'which']) Object.defineProperty(again, name, {get: () => 83});  // "S"
      (target.closest('.jp-Notebook') || document.body).dispatchEvent(again);
      target.focus();
    };
    const outside = node => !(node.nodeType === 1 ? node : node.parentElement)?.closest('.jupyter-widgets');
    const observer = new MutationObserver(changes => {
      if (changes.some(change => outside(change.target))) setTimeout(save, 0);
    });
    if (!outputs || sent.get(target) === target.value) { save(); return; }
    observer.observe(outputs, {childList: true, subtree: true, characterData: true});
    target.blur();
    setTimeout(save, 3000);
  }, true);
  // Escape in an answer widget hands the keyboard back to the notebook: focus leaves the widget (a text field
  // sends its text) for its cell, which the notebook then selects in command mode (arrows, A, B, Enter work).
  window.addEventListener('keydown', event => {
    const target = event.target;
    if (event.key !== 'Escape' || !inWidget(target) || event.ctrlKey || event.metaKey || event.altKey) return;
    const cell = target.closest('.jp-Cell');
    event.preventDefault();
    event.stopImmediatePropagation();
    target.blur();
    if (!cell) return;
    if (!cell.hasAttribute('tabindex')) cell.setAttribute('tabindex', '-1');
    cell.focus({preventScroll: true});
  }, true);
  // A closed dropdown stepped with the arrow keys (or a letter) changes at each step, and each change would
  // reach the kernel as a new answer and a new try. Its choice is sent once, when it is committed: Enter, or
  // leaving the dropdown (Tab, Escape, a click elsewhere, Ctrl+S). A choice picked from the open list goes at once.
  const isMenu = el => inWidget(el) && el.matches('select:not([multiple])');
  const held = new Set();
  let stepping = null;
  // A step's change comes during its own key press, so the key's release (or a commit) ends the step. The timer
  // is only a fallback (a held, repeating key): on a busy page it runs late (timers wait behind input), and a
  // commit right after a step would be held again and never sent.
  const commit = menu => {
    stepping = null;
    if (held.delete(menu)) menu.dispatchEvent(new Event('change', {bubbles: true}));
  };
  window.addEventListener('keydown', event => {
    const target = event.target;
    if (!isMenu(target)) return;
    if (event.key === 'Enter') { commit(target); return; }
    if (event.ctrlKey || event.metaKey || event.key === 'Tab' || event.key === 'Escape') return;
    stepping = target;  // a change that follows this key press, before the next task, is one step
    setTimeout(() => { if (stepping === target) stepping = null; }, 0);
  }, true);
  window.addEventListener('keyup', () => { stepping = null; }, true);
  window.addEventListener('change', event => {
    if (event.target !== stepping || !isMenu(event.target)) return;
    event.stopImmediatePropagation();  // before ipywidgets' listener on the widget, below window
    held.add(event.target);
  }, true);
  window.addEventListener('focusout', event => { if (isMenu(event.target)) commit(event.target); }, true);
})();
"""

def install() -> None:
    """Run the keyboard script in the page (it guards itself: once per page). The script stays in the cell's
    output, invisible, so a reloaded page runs it again when it shows the saved notebook: JupyterLab and
    Notebook 7 run the scripts of a notebook saved on this machine (trusted), before any cell runs. A learner's
    notebook opened on the teacher's machine is not trusted there, and its scripts do not run.

    Only in a kernel a Jupyter server started for a notebook (it sets ``JPY_SESSION_NAME``): kernels run by
    nbclient or nbval have no page, so executed and tested notebooks get no script output."""
    if not os.environ.get("JPY_SESSION_NAME"):
        return
    from IPython.display import display  # here, not at the top: the server loads this module as its extension

    display({"application/javascript": SCRIPT + access.SCRIPT}, raw=True)


def strip_widgets(nb: dict) -> int:
    """Replace each widget output by a line that says how to bring the controls back: :data:`REOPENED_TEXT`
    in an answer cell (its answer line follows), :data:`CONTROLS_TEXT` elsewhere (an explorer's chart and
    sentence follow); return how many changed."""
    changed = 0
    for cell in nb.get("cells") or []:
        outputs = cell.get("outputs") if isinstance(cell, dict) else None
        if not isinstance(outputs, list):
            continue
        datas = [o.get("data") for o in outputs if isinstance(o, dict)]
        answer = any(isinstance(d, dict) and records.MIME in d for d in datas)
        text = REOPENED_TEXT if answer else CONTROLS_TEXT
        for data in datas:
            if isinstance(data, dict) and WIDGET_VIEW in data:
                del data[WIDGET_VIEW]
                data["text/plain"] = text
                data["text/markdown"] = f"*{text}*"
                changed += 1
    return changed


def os_path(contents_manager: Any, api_path: str) -> Path:
    """The file an API path names on this machine (as :func:`session.notebook_path` names it)."""
    root = getattr(contents_manager, "root_dir", "") or "."
    return Path(os.path.realpath(os.path.join(root, api_path.strip("/"))))


def pre_save_hook(model: dict, path: str = "", contents_manager: Any = None, **_kwargs: Any) -> None:
    """A Jupyter contents pre-save hook: saved notebooks carry no dead answer widgets, and every answer the
    learner gave (see :mod:`repair`), whatever the page lost; the notebook's id goes into its metadata."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    strip_widgets(model["content"])
    if contents_manager is None or not path:
        return
    log = getattr(contents_manager, "log", None)
    try:
        put_back = repair.repair(model["content"], os_path(contents_manager, path))
    except (OSError, ValueError, TypeError, AttributeError, KeyError) as error:  # never stop a save
        if log is not None:
            log.warning("innovation_course: answers of %s not checked before saving: %s", path, error)
        return
    if put_back and log is not None:
        log.info("innovation_course: %s: put back %d answer(s) the page had lost: %s", path, len(put_back),
                 ", ".join(put_back))


CONTENTS_EVENTS = "https://events.jupyter.org/jupyter_server/contents_service/v1"


def contents_listener(contents_manager: Any):
    """A listener for Jupyter's file events: a file or folder renamed or moved takes its answer journals along
    (their owner path follows it); a deleted one leaves them owned by no file."""

    async def listener(logger: Any = None, schema_id: str = "", data: dict | None = None) -> None:
        data = data or {}
        action, target = data.get("action"), data.get("path")
        try:
            if action == "rename" and isinstance(data.get("source_path"), str) and isinstance(target, str):
                journal.moved(os_path(contents_manager, data["source_path"]), os_path(contents_manager, target))
            elif action == "delete" and isinstance(target, str):
                journal.deleted(os_path(contents_manager, target))
        except (OSError, ValueError) as error:
            contents_manager.log.warning("innovation_course: answer journals not updated for %s: %s", target, error)

    return listener


def _jupyter_server_extension_points() -> list[dict]:
    return [{"module": "innovation_course.engine.frontend"}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    serverapp.contents_manager.register_pre_save_hook(pre_save_hook)
    serverapp.event_logger.add_listener(schema_id=CONTENTS_EVENTS,
                                        listener=contents_listener(serverapp.contents_manager))
    serverapp.log.info("innovation_course: answer widgets are saved as their answer lines; every answer given is "
                       "saved; answer journals follow their notebooks")


# -- installing the course's Jupyter config where Jupyter reads it ---------------------------------------------
# The same files as jupyter-config/ in the repository, which `pip install .` copies (pyproject data-files).
CONFIG_FILES = {
    # the server extension above (loaded by jupyter lab, jupyter notebook and jupyterhub-singleuser)
    "etc/jupyter/jupyter_server_config.d/innovation_course.json":
        {"ServerApp": {"jpserver_extensions": {"innovation_course.engine.frontend": True}}},
    # default settings read by JupyterLab and Notebook 7 (jupyterlab_server: <app dir>/settings/overrides.d):
    # no cell toolbar, so Tab then Enter from an answer cannot duplicate, move or delete the cell
    "share/jupyter/lab/settings/overrides.d/innovation-course.json":
        {"@jupyterlab/cell-toolbar-extension:plugin": {"showToolbar": False}},
}


def install_config(prefix: str | None = None) -> list[Path]:
    """Write :data:`CONFIG_FILES` under ``prefix`` (default: this environment's ``sys.prefix``).

    ``pip install .`` installs them already; editable installs (``make lab``, Binder's ``-e .``) need this call.
    """
    written = []
    for relative, content in CONFIG_FILES.items():
        path = Path(prefix or sys.prefix) / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(content, indent=2) + "\n"
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args != ["install"]:
        print("usage: python -m innovation_course.engine.frontend install", file=sys.stderr)
        return 2
    for path in install_config():
        print(f"innovation-course: wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
