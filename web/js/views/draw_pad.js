// A canvas to draw a digit on with a mouse, a pen or a finger (pointer
// events), a Clear button, and beside it the 28 x 28 image the network
// sees: the drawing cropped, scaled and centred as MNIST digits are
// (digit_preprocess.js). onChange({ final }) fires while drawing and once
// more (final) when a stroke ends or the pad is cleared; read() returns
// the preprocessed image (or null when the pad is empty).
import { preprocessDigit, DIGIT_SIZE } from '../digit_preprocess.js';

const INK = [29, 35, 48]; // --ink

export class DrawPad {
  /**
   * @param {HTMLElement} root
   * @param {{ size?: number, lineWidth?: number, onChange?: (e: { final: boolean }) => void,
   *   labels?: { canvas?: string, preview?: string, clear?: string } }} options
   */
  constructor(root, { size = 280, lineWidth = 22, onChange = () => {}, labels = {} } = {}) {
    this.root = root;
    this.size = size;
    this.onChange = onChange;
    const L = { canvas: 'Draw a digit here', preview: 'What the network sees (28 × 28)', clear: 'Clear', ...labels };
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'draw-canvas';
    this.canvas.width = size;
    this.canvas.height = size;
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', L.canvas);
    this.ctx = this.canvas.getContext('2d', { willReadFrequently: true });
    this.ctx.lineCap = 'round';
    this.ctx.lineJoin = 'round';
    this.ctx.lineWidth = lineWidth;
    this.ctx.strokeStyle = `rgb(${INK.join(',')})`;
    this.ctx.fillStyle = this.ctx.strokeStyle;

    const side = document.createElement('div');
    side.className = 'draw-side';
    const fig = document.createElement('figure');
    fig.className = 'draw-preview';
    this.preview = document.createElement('canvas');
    this.preview.width = DIGIT_SIZE;
    this.preview.height = DIGIT_SIZE;
    this.preview.setAttribute('role', 'img');
    this.preview.setAttribute('aria-label', L.preview);
    const cap = document.createElement('figcaption');
    cap.textContent = L.preview;
    fig.append(this.preview, cap);
    this.clearButton = document.createElement('button');
    this.clearButton.type = 'button';
    this.clearButton.className = 'secondary';
    this.clearButton.textContent = L.clear;
    this.clearButton.addEventListener('click', () => {
      this.reset();
      this.onChange({ final: true });
    });
    side.append(fig, this.clearButton);
    root.append(this.canvas, side);

    this.last = null;
    this.canvas.addEventListener('pointerdown', (e) => this.down(e));
    this.canvas.addEventListener('pointermove', (e) => this.move(e));
    for (const type of ['pointerup', 'pointercancel', 'lostpointercapture']) this.canvas.addEventListener(type, () => this.up());
  }

  /** Canvas coordinates of a pointer event. */
  at(e) {
    const r = this.canvas.getBoundingClientRect();
    return [((e.clientX - r.left) * this.size) / r.width, ((e.clientY - r.top) * this.size) / r.height];
  }

  down(e) {
    if (e.button !== 0) return;
    e.preventDefault();
    this.canvas.setPointerCapture?.(e.pointerId);
    this.last = this.at(e);
    const [x, y] = this.last;
    this.ctx.beginPath();
    this.ctx.arc(x, y, this.ctx.lineWidth / 2, 0, 2 * Math.PI);
    this.ctx.fill();
    this.root.classList.add('drawn');
    this.onChange({ final: false });
  }

  move(e) {
    if (!this.last) return;
    e.preventDefault();
    const events = e.getCoalescedEvents?.() ?? [];
    this.ctx.beginPath();
    this.ctx.moveTo(...this.last);
    for (const c of events.length ? events : [e]) {
      this.last = this.at(c);
      this.ctx.lineTo(...this.last);
    }
    this.ctx.stroke();
    this.onChange({ final: false });
  }

  up() {
    if (!this.last) return;
    this.last = null;
    this.onChange({ final: true });
  }

  /** The drawing as the network sees it (and shown beside the pad):
   * Float32Array(784) in 0..1, or null when nothing is drawn. */
  read() {
    const { data } = this.ctx.getImageData(0, 0, this.size, this.size);
    const ink = new Float32Array(this.size * this.size);
    for (let i = 0; i < ink.length; i++) ink[i] = data[4 * i + 3] / 255;
    const r = preprocessDigit(ink, this.size, this.size);
    this.showPreview(r ? r.image : null);
    return r ? r.image : null;
  }

  showPreview(image) {
    const ctx = this.preview.getContext('2d');
    const img = ctx.createImageData(DIGIT_SIZE, DIGIT_SIZE);
    for (let i = 0; i < DIGIT_SIZE * DIGIT_SIZE; i++) {
      const v = image ? image[i] : 0;
      img.data[4 * i] = Math.round(255 + (INK[0] - 255) * v);
      img.data[4 * i + 1] = Math.round(255 + (INK[1] - 255) * v);
      img.data[4 * i + 2] = Math.round(255 + (INK[2] - 255) * v);
      img.data[4 * i + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }

  reset() {
    this.ctx.clearRect(0, 0, this.size, this.size);
    this.last = null;
    this.root.classList.remove('drawn');
    this.showPreview(null);
  }
}
