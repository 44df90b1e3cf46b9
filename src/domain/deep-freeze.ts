/**
 * Deep-freezes a JSON value where it is not frozen yet. Parts already
 * frozen (shared with an earlier state, which is frozen whole) are not
 * walked again, so freezing what a change added costs what it added.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
