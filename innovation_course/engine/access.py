"""Names, states, Tab stops and a visible selection where ipywidgets 8.1 and JupyterLab 4.6 give none.

Measured with axe-core in JupyterLab after Run All (tests/test_accessibility.py): a slider's handles have no
accessible name (a screen reader says "slider, slider"), a toggle button does not say whether it is the selected
one, JupyterLab's button that folds a heading's section has no name, and neither has a code cell's editor. Tab
never reaches a code cell from the answers (JupyterLab makes only the active cell a Tab stop), and in the dark
theme the selected toggle button differs from the others only by a slightly lighter grey.

:data:`SCRIPT` runs in the page with the keyboard script (:func:`frontend.install`, once per page) and keeps,
as cells and widgets come and go: each slider handle named after the slider's label ("Years: from", "Years:
to"); each group of toggle buttons a named group whose buttons carry ``aria-pressed``; each code cell whose code
is shown a Tab stop, its editor named "Code"; each heading's fold button named ("Hide the section Explore the
data") with ``aria-expanded``. :data:`STYLE` marks the selected toggle button by more than colour, in both
themes: a tick before its text, bold, and the theme's accent colour behind it (contrast checked in
tests/test_browser_access.py); and it hides the cell toolbar (the course's settings turn it off too), whose first
button, reached by Tab then Enter, duplicated the cell.
"""

from __future__ import annotations

import json

STYLE = r"""
.widget-toggle-buttons .widget-toggle-button.mod-active, .jupyter-widgets.widget-toggle-button.mod-active {
  font-weight: bold;
  color: var(--jp-ui-inverse-font-color1, #fff);
  background-color: var(--jp-brand-color1, #1976d2);
}
.widget-toggle-buttons .widget-toggle-button.mod-active::before,
.jupyter-widgets.widget-toggle-button.mod-active::before { content: "\2713\00a0"; }
.jp-Notebook .jp-cell-toolbar { display: none !important; }
"""

SCRIPT = r"""
(() => {
  if (window.__innovationCourseAccess) return;
  window.__innovationCourseAccess = true;
  const style = document.createElement('style');
  style.id = 'innovation-course-access';
  style.textContent = %(style)s;
  document.head.appendChild(style);
  const set = (el, name, value) => { if (el.getAttribute(name) !== value) el.setAttribute(name, value); };
  const labelOf = widget => (widget.querySelector(':scope > .widget-label')?.textContent || '')
    .trim().replace(/:\s*$/, '');
  const name = () => {
    scheduled = false;
    for (const slider of document.querySelectorAll('.jupyter-widgets.widget-slider')) {
      const label = labelOf(slider) || 'Value';
      const handles = [...slider.querySelectorAll('[role="slider"]')];
      handles.forEach((handle, n) => set(handle, 'aria-label',
        handles.length > 1 ? `${label}: ${n ? 'to' : 'from'}` : label));
    }
    for (const group of document.querySelectorAll('.widget-toggle-buttons')) {
      const buttons = [...group.querySelectorAll('.widget-toggle-button')];
      const box = buttons[0]?.parentElement;
      if (box) {
        set(box, 'role', 'group');
        set(box, 'aria-label', labelOf(group) || 'Options');
      }
      for (const button of buttons) set(button, 'aria-pressed', String(button.classList.contains('mod-active')));
    }
    for (const cell of document.querySelectorAll('.jp-Notebook .jp-CodeCell')) {
      const code = cell.querySelector('.jp-InputArea-editor .cm-content');
      if (!code) continue;  // a question cell: its code is hidden
      set(cell, 'tabindex', '0');  // JupyterLab makes only the active cell a Tab stop
      set(code, 'aria-label', 'Code');
    }
    for (const button of document.querySelectorAll('button.jp-collapseHeadingButton')) {
      const cell = button.closest('.jp-Cell');
      const heading = (cell?.querySelector('h1, h2, h3, h4, h5, h6')?.textContent || '').replace(/¶$/, '').trim();
      const folded = !!cell?.classList.contains('jp-MarkdownHeadingCollapsed');
      set(button, 'aria-label', `${folded ? 'Show' : 'Hide'} the section ${heading}`.trim());
      set(button, 'aria-expanded', String(!folded));
    }
  };
  let scheduled = false;
  new MutationObserver(() => {
    if (!scheduled) { scheduled = true; requestAnimationFrame(name); }
  }).observe(document.body, {subtree: true, childList: true, attributes: true, attributeFilter: ['class']});
  name();
})();
""".replace("%(style)s", json.dumps(STYLE.strip()))
