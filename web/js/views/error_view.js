// Shows an engine error with the offending line and a caret under the column.
export class ErrorView {
  /** @param {HTMLElement} el  contains .error-message and .error-place */
  constructor(el) {
    this.el = el;
    this.message = el.querySelector('.error-message');
    this.place = el.querySelector('.error-place');
  }

  /** @param {{message: string, line: number, col: number}} error @param {string} source */
  update(error, source) {
    this.message.textContent = error.message;
    const lineText = error.line > 0 ? source.split(/\r\n|\r|\n/)[error.line - 1] : undefined;
    if (lineText !== undefined) {
      const prefix = `${error.line} | `;
      // keep tabs so the caret lines up under the column
      const under = [...lineText.slice(0, Math.max(0, error.col - 1))]
        .map((c) => (c === '\t' ? '\t' : ' '))
        .join('');
      this.place.textContent = `${prefix}${lineText}\n${' '.repeat(prefix.length)}${under}^`;
      this.place.hidden = false;
    } else {
      this.place.hidden = true;
    }
    this.el.hidden = false;
  }

  reset() {
    this.el.hidden = true;
    this.message.textContent = '';
    this.place.textContent = '';
  }
}
