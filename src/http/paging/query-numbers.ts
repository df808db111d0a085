// How each product reads a number from its query string: Grafana as Go's strconv does, OnCall and
// PostHog as Python's int() does.

/** A repeated parameter's last value, as Django's QueryDict reads it. */
export function lastValue(value: unknown): unknown {
  return Array.isArray(value) ? value[value.length - 1] : value;
}

/** Grafana's c.QueryInt (strconv.Atoi): an optional sign and digits; anything unparsable is 0. */
export function goQueryInt(value: string | undefined): number {
  if (value === undefined || !/^[+-]?\d+$/.test(value)) return 0;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : 0;
}

/**
 * Python's int() of a query value: optional surrounding whitespace and sign, decimal digits. A
 * value a validator has already turned into an integer is taken as it is.
 */
export function pythonInt(value: unknown): number | undefined {
  const v = lastValue(value);
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : undefined;
  if (typeof v !== 'string' || !/^\s*[+-]?\d+\s*$/.test(v)) return undefined;
  const n = Number(v.trim());
  return Number.isSafeInteger(n) ? n : undefined;
}
