// The line charts' decimation (web/js/views/minmax_series.js) against brute
// force: for random series of every length around the merge points, the
// buckets split the points into consecutive runs of 2^level (the last may
// be shorter), each bucket's drawn min and max are the min and max of its
// raw points (so every raw value lies within them and both are raw
// points), the drawn points keep x order, and the counts stay bounded
// however long the series grows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MinMaxSeries, MAX_BUCKETS } from '../../web/js/views/minmax_series.js';

/** PCG-free small deterministic RNG (mulberry32). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Checks series s against the raw points it was given, by brute force. */
function check(s, raw, what) {
  const max = s.maxBuckets;
  assert.equal(s.count, raw.length, `${what}: count`);
  // the level: the smallest with at most max buckets
  let level = 0;
  while (Math.ceil(raw.length / 2 ** level) > max) level++;
  assert.equal(s.level, level, `${what}: level`);
  assert.ok(s.buckets.length <= max, `${what}: ${s.buckets.length} buckets`);
  assert.ok(s.points.length <= 2 * max, `${what}: ${s.points.length} drawn points`);
  const size = 2 ** level;
  const drawn = [];
  let from = 0;
  s.buckets.forEach((b, k) => {
    const n = Math.min(size, raw.length - from);
    assert.equal(b.from, from, `${what}: bucket ${k} starts at point ${from}`);
    assert.equal(b.n, n, `${what}: bucket ${k} holds ${n}`);
    const own = raw.slice(from, from + n);
    const values = own.filter((p) => p.y !== null);
    if (!values.length) {
      assert.equal(b.lo, null);
      drawn.push({ x: own[0].x, y: null });
    } else {
      const lo = Math.min(...values.map((p) => p.y));
      const hi = Math.max(...values.map((p) => p.y));
      assert.equal(b.lo.y, lo, `${what}: bucket ${k} min`);
      assert.equal(b.hi.y, hi, `${what}: bucket ${k} max`);
      // both are raw points of the bucket
      assert.ok(own.some((p) => p.x === b.lo.x && p.y === b.lo.y), `${what}: bucket ${k} min is a raw point`);
      assert.ok(own.some((p) => p.x === b.hi.x && p.y === b.hi.y), `${what}: bucket ${k} max is a raw point`);
      for (const p of values) assert.ok(p.y >= b.lo.y && p.y <= b.hi.y, `${what}: bucket ${k} holds ${p.y}`);
      if (b.lo === b.hi) drawn.push(b.lo);
      else drawn.push(...[b.lo, b.hi].sort((p, q) => p.x - q.x));
    }
    from += n;
  });
  assert.equal(from, raw.length, `${what}: the buckets cover every point`);
  assert.deepEqual(s.points.map((p) => [p.x, p.y]), drawn.map((p) => [p.x, p.y]), `${what}: drawn points`);
  for (let i = 1; i < s.points.length; i++) assert.ok(s.points[i].x > s.points[i - 1].x, `${what}: x order at ${i}`);
  // the drawn envelope: the drawn min and max over all of it are the raw ones
  const ys = raw.filter((p) => p.y !== null).map((p) => p.y);
  const dys = s.points.filter((p) => p.y !== null).map((p) => p.y);
  if (ys.length) assert.deepEqual([Math.min(...dys), Math.max(...dys)], [Math.min(...ys), Math.max(...ys)]);
}

test('below the bound every point is drawn as it came', () => {
  const s = new MinMaxSeries();
  const raw = [];
  const r = rng(1);
  for (let i = 0; i < MAX_BUCKETS; i++) {
    const p = { x: i / 125, y: 2.3 * r() };
    raw.push(p);
    s.push(p.x, p.y);
  }
  assert.equal(s.level, 0);
  assert.deepEqual(s.points.map((p) => [p.x, p.y]), raw.map((p) => [p.x, p.y]));
  s.push(MAX_BUCKETS / 125, 1);
  assert.equal(s.level, 1, 'one more point merges pairs');
  assert.equal(s.buckets.length, MAX_BUCKETS / 2 + 1);
});

test('random series against brute force, at every length across three merges (small buckets)', () => {
  for (const [seed, kind] of [[2, 'uniform'], [3, 'steps'], [4, 'gaps'], [5, 'ties']]) {
    const r = rng(seed);
    const s = new MinMaxSeries(8);
    const raw = [];
    let x = 0;
    for (let i = 0; i < 80; i++) {
      x += 0.001 + r(); // increasing x, uneven spacing
      let y = r() * 10 - 5;
      if (kind === 'steps') y = Math.floor(y); // many equal values
      if (kind === 'gaps' && r() < 0.3) y = null;
      if (kind === 'ties') y = 1;
      raw.push({ x, y });
      s.push(x, y);
      check(s, raw, `${kind} seed ${seed}, ${raw.length} points`);
    }
  }
});

test('a long random series at the real bound: checked after each merge and at the end', () => {
  const r = rng(7);
  const s = new MinMaxSeries();
  const raw = [];
  let level = 0;
  for (let i = 0; i < 70000; i++) {
    // a falling loss with noise and rare spikes: a spike must survive any merge
    const y = 2.3 * Math.exp(-i / 5000) + 0.1 * r() + (r() < 0.0005 ? 5 : 0);
    raw.push({ x: i / 125, y });
    s.push(i / 125, y);
    if (s.level !== level) {
      level = s.level;
      check(s, raw, `level ${level} at ${raw.length} points`);
    }
  }
  check(s, raw, '70,000 points');
  assert.equal(s.level, 8, '70,000 points in buckets of 256');
  assert.ok(s.points.length <= 2 * MAX_BUCKETS);
});

test('memory stays bounded for any run length; clear starts again', () => {
  const s = new MinMaxSeries();
  for (let i = 0; i < 1_000_000; i++) s.push(i, Math.sin(i));
  assert.ok(s.buckets.length <= MAX_BUCKETS && s.points.length <= 2 * MAX_BUCKETS, `${s.buckets.length} buckets, ${s.points.length} points`);
  const points = s.points;
  s.clear();
  assert.equal(s.points, points, 'the same array (Chart.js holds it)');
  assert.deepEqual([s.points.length, s.buckets.length, s.level, s.count], [0, 0, 0, 0]);
  s.push(0, 1);
  assert.deepEqual(s.points, [{ x: 0, y: 1 }]);
  assert.throws(() => new MinMaxSeries(5), /even whole number/);
});
