// A line chart's series with a bounded number of drawn points that still
// shows every point's value (issue 13): the points, appended in x order,
// are grouped into buckets of 2^level consecutive points, and each bucket
// is drawn as its smallest and its largest value, in x order. While there
// are at most maxBuckets points every point is a bucket of its own, drawn
// as it came. When one more bucket would be needed, neighbouring buckets
// merge pairwise (level + 1), so a series of any length holds at most
// maxBuckets buckets and draws at most 2 * maxBuckets points, and the drawn
// line's envelope holds every point: no range is ever dropped, and the
// buckets stay the same width from the first point to the last.
//
// A y that is null or not finite is a gap (a log axis has no place for a
// zero): a bucket of gaps only is drawn as one null point. No DOM here;
// `points` is the array Chart.js reads, changed in place.

export const MAX_BUCKETS = 512;

export class MinMaxSeries {
  /** @param {number} maxBuckets  even, at least 2 */
  constructor(maxBuckets = MAX_BUCKETS) {
    if (!(Number.isInteger(maxBuckets) && maxBuckets >= 2 && maxBuckets % 2 === 0)) {
      throw new Error(`maxBuckets must be an even whole number of at least 2, not ${maxBuckets}`);
    }
    this.maxBuckets = maxBuckets;
    this.points = []; // drawn: each bucket's min and max in x order
    this.buckets = []; // { from, n, x0, lo, hi, drawn }: lo, hi are {x, y} or null
    this.level = 0;   // buckets hold 2^level points (the last one up to that)
    this.count = 0;   // points pushed
  }

  /** Appends one point (x not below the last one's). */
  push(x, y) {
    const value = typeof y === 'number' && Number.isFinite(y) ? y : null;
    let b = this.buckets.at(-1);
    if (!b || b.n === 2 ** this.level) {
      if (this.buckets.length === this.maxBuckets) this.merge();
      b = { from: this.count, n: 0, x0: x, lo: null, hi: null, drawn: 0 };
      this.buckets.push(b);
    }
    this.points.length -= b.drawn;
    b.n++;
    if (value !== null) {
      const p = { x, y: value };
      if (!b.lo || value < b.lo.y) b.lo = p;
      if (!b.hi || value > b.hi.y) b.hi = p;
    }
    b.drawn = this.draw(b);
    this.count++;
  }

  /** Appends bucket b's drawn points; returns how many. */
  draw(b) {
    const { lo, hi } = b;
    if (!lo) this.points.push({ x: b.x0, y: null });
    else if (lo === hi) this.points.push(lo);
    else if (lo.x <= hi.x) this.points.push(lo, hi);
    else this.points.push(hi, lo);
    return lo && lo !== hi ? 2 : 1;
  }

  /** Merges neighbouring buckets pairwise (maxBuckets is even, so all
   * buckets are full here and merge into full buckets). */
  merge() {
    const merged = [];
    for (let i = 0; i < this.buckets.length; i += 2) {
      const a = this.buckets[i];
      const b = this.buckets[i + 1];
      const lo = !b.lo || (a.lo && a.lo.y <= b.lo.y) ? a.lo : b.lo;
      const hi = !b.hi || (a.hi && a.hi.y >= b.hi.y) ? a.hi : b.hi;
      merged.push({ from: a.from, n: a.n + b.n, x0: a.x0, lo, hi, drawn: 0 });
    }
    this.buckets = merged;
    this.level++;
    this.points.length = 0;
    for (const b of merged) b.drawn = this.draw(b);
  }

  /** Empties the series. */
  clear() {
    this.points.length = 0;
    this.buckets = [];
    this.level = 0;
    this.count = 0;
  }
}
