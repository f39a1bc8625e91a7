// Number formatting shared by the views: short for reading, full on hover.

/** Up to 6 significant digits, without trailing zeros ("-0.372", "1e-7"). */
export function shortNumber(x) {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e6 || a < 1e-4) return x.toExponential(4).replace(/\.?0+e/, 'e');
  return String(Number(x.toPrecision(6)));
}

/** Full double precision, as the engine prints it. */
export function fullNumber(x) {
  return String(x);
}
