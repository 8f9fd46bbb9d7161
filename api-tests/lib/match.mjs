// Subset matching of JSON values, as used by the case files.
//
//   - an expected object matches an actual (non-null, non-array) object when every expected
//     key is present in the actual one and its value matches; `{}` therefore means
//     "is an object";
//   - an expected array matches an actual array when each expected element matches some
//     element of the actual array (order and extra elements do not matter);
//   - anything else (string, number, boolean, null) must be strictly equal.
import assert from 'node:assert/strict';

/** @returns {string[]} the mismatches, empty when `actual` matches `expected` */
export function subsetMismatches(actual, expected, where = '$') {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${where}: expected an array, got ${show(actual)}`];
    const out = [];
    expected.forEach((e, i) => {
      if (!actual.some((a) => subsetMismatches(a, e, where).length === 0)) {
        out.push(`${where}: no element matches expected[${i}] = ${show(e)}; actual: ${show(actual)}`);
      }
    });
    return out;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
      return [`${where}: expected an object, got ${show(actual)}`];
    }
    const out = [];
    for (const [k, e] of Object.entries(expected)) {
      const w = `${where}.${k}`;
      if (!Object.prototype.hasOwnProperty.call(actual, k)) out.push(`${w}: missing (expected ${show(e)})`);
      else out.push(...subsetMismatches(actual[k], e, w));
    }
    return out;
  }
  if (Object.is(actual, expected) || actual === expected) return [];
  return [`${where}: expected ${show(expected)}, got ${show(actual)}`];
}

/** true when `actual` matches the subset `expected` */
export function matchSubset(actual, expected) {
  return subsetMismatches(actual, expected).length === 0;
}

/** throws an AssertionError listing every mismatch */
export function assertSubset(actual, expected, message = 'response does not match the expected subset') {
  const m = subsetMismatches(actual, expected);
  if (m.length) {
    assert.fail(`${message}:\n  ${m.join('\n  ')}\nactual: ${show(actual, 4000)}`);
  }
}

/** The value at a dotted path such as `results.0.reason` (undefined when absent). */
export function at(value, dotted) {
  let v = value;
  for (const part of dotted.split('.')) {
    if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, part)) return undefined;
    v = v[part];
  }
  return v;
}

export function show(v, max = 600) {
  let s;
  try { s = JSON.stringify(v); } catch { s = String(v); }
  if (s === undefined) s = String(v);
  return s.length > max ? `${s.slice(0, max)}...` : s;
}
