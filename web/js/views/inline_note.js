// A short message shown right where the learner acted: after a control's
// row, announced (role=status), tied to the control (aria-describedby) and
// scrolled into view. For an action that cannot be done here and now, e.g.
// "As a graph" on a network too big for the graph view.

export class InlineNote {
  /**
   * @param {HTMLElement} control  the button (or other control) it explains
   * @param {{ after?: HTMLElement }} options  the note goes right after this
   *   element (default: the control's parent, so it sits under the control's row)
   */
  constructor(control, { after = control.parentElement } = {}) {
    this.control = control;
    this.el = document.createElement('p');
    this.el.className = 'hint inline-note';
    this.el.id = `${control.id || 'control'}-note`;
    this.el.setAttribute('role', 'status');
    this.el.hidden = true;
    after.after(this.el);
  }

  /** Shows text under the control and brings it into view. */
  update(text) {
    this.el.textContent = text;
    this.el.hidden = false;
    const ids = (this.control.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
    if (!ids.includes(this.el.id)) this.control.setAttribute('aria-describedby', [...ids, this.el.id].join(' '));
    this.el.scrollIntoView({ block: 'nearest' });
  }

  reset() {
    this.el.hidden = true;
    this.el.textContent = '';
    const ids = (this.control.getAttribute('aria-describedby') ?? '').split(/\s+/).filter((id) => id && id !== this.el.id);
    if (ids.length) this.control.setAttribute('aria-describedby', ids.join(' '));
    else this.control.removeAttribute('aria-describedby');
  }
}
