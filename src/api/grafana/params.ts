// Grafana's parsing of path ids and query numbers.
import { invalid } from '../../domain/errors.ts';

/** strconv.ParseInt semantics: an optional sign and digits, else 400 "<name> is invalid". */
export function intParam(value: string, name: string): number {
  if (!/^[+-]?\d+$/.test(value)) throw invalid('param.invalid', `${name} is invalid`);
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw invalid('param.invalid', `${name} is invalid`);
  return n;
}

/** c.QueryInt: anything unparsable is 0. */
export { goQueryInt as queryInt } from '../../http/paging/query-numbers.ts';

/** Parses Grafana's sort parameter ("login-asc,email-desc") against the allowed keys. */
export function parseSort<K extends string>(value: string | undefined, keys: Record<string, K>): { key: K; desc: boolean }[] {
  if (!value) return [];
  const out: { key: K; desc: boolean }[] = [];
  for (const part of value.split(',')) {
    const m = /^(.+)-(asc|desc)$/.exec(part.trim());
    if (m && keys[m[1]]) out.push({ key: keys[m[1]], desc: m[2] === 'desc' });
  }
  return out;
}
