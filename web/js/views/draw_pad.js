// A canvas to draw a digit on with a mouse, a pen or a finger (pointer
// events), a Clear button, and beside it the 28 x 28 image the network
// sees: the drawing cropped, scaled and centred as MNIST digits are
// (digit_preprocess.js). onChange({ final }) fires while drawing and once
// more (final) when a stroke ends or the pad is cleared; read() returns
// the preprocessed image (or null when the pad is empty).
//
// The pad takes no keyboard input; its alternative is Upload image: a
// picture of a digit (a 28 x 28 MNIST PNG, a photo, any size) is put on
// the pad as ink (inkFromRgba: dark on light or light on dark) and goes
// through the same preprocessing and onChange as a drawing. onImage(file,
// err) hears how each upload went: err null, an Error for a file that is
// not an image, or one with key 'mnist.imageEmpty' for an image without ink.
import { preprocessDigit, inkFromRgba, inkBox, DIGIT_SIZE } from '../digit_preprocess.js';

const INK = [29, 35, 48]; // --ink

export class DrawPad {
  /**
   * @param {HTMLElement} root
   * @param {{ size?: number, lineWidth?: number, onChange?: (e: { final: boolean }) => void,
   *   onImage?: (file: File, err: Error | null) => void,
   *   labels?: { canvas?: string, preview?: string, clear?: string, upload?: string } }} options
   */
  constructor(root, { size = 280, lineWidth = 22, onChange = () => {}, onImage = () => {}, labels = {} } = {}) {
    this.root = root;
    this.size = size;
    this.onChange = onChange;
    this.onImage = onImage;
    const L = {
      canvas: 'Draw a digit here (mouse, pen or finger)', preview: 'What the network sees (28 × 28)', clear: 'Clear',
      upload: 'Upload image…', ...labels,
    };
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
    const upload = document.createElement('label');
    upload.className = 'file-button secondary';
    const uploadText = document.createElement('span');
    uploadText.textContent = L.upload;
    this.fileInput = document.createElement('input');
    this.fileInput.type = 'file';
    this.fileInput.accept = 'image/*';
    this.fileInput.addEventListener('change', () => {
      const file = this.fileInput.files[0];
      this.fileInput.value = ''; // the same file again loads again
      if (file) this.loadImage(file);
    });
    upload.append(uploadText, this.fileInput);
    side.append(fig, this.clearButton, upload);
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

  /** Puts an image file on the pad as ink, scaled to fit and centred
   * (the preprocessing crops and scales it again), then onChange({ final:
   * true }) as after a stroke. Resolves true when it had ink. */
  async loadImage(file) {
    let bitmap;
    try {
      bitmap = await createImageBitmap(file);
    } catch (err) {
      this.onImage(file, err);
      return false;
    }
    const scale = Math.min(this.size / bitmap.width, this.size / bitmap.height);
    const w = Math.max(1, Math.round(bitmap.width * scale));
    const h = Math.max(1, Math.round(bitmap.height * scale));
    const scratch = document.createElement('canvas');
    scratch.width = w;
    scratch.height = h;
    const sctx = scratch.getContext('2d', { willReadFrequently: true });
    // smooth when shrinking a photo; enlarge a small image (a 28 x 28
    // digit) pixel by pixel, which keeps its ink where it was
    sctx.imageSmoothingEnabled = scale < 1;
    sctx.imageSmoothingQuality = 'high';
    sctx.drawImage(bitmap, 0, 0, w, h);
    bitmap.close();
    const ink = inkFromRgba(sctx.getImageData(0, 0, w, h).data, w, h);
    const img = this.ctx.createImageData(w, h);
    for (let i = 0; i < ink.length; i++) {
      img.data.set(INK, 4 * i);
      img.data[4 * i + 3] = Math.round(255 * ink[i]);
    }
    this.reset();
    this.ctx.putImageData(img, Math.floor((this.size - w) / 2), Math.floor((this.size - h) / 2));
    const inked = inkBox(ink, w, h) !== null;
    if (inked) this.root.classList.add('drawn');
    this.onImage(file, inked ? null : Object.assign(new Error('no ink'), { key: 'mnist.imageEmpty' }));
    this.onChange({ final: true });
    return inked;
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
