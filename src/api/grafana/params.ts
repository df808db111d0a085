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
export function queryInt(value: string | undefined): number {
  if (value === undefined || !/^[+-]?\d+$/.test(value)) return 0;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : 0;
}

/**
 * perpage (default 1000) and one-based page (default 1). A page past 2^53 rows is past every row:
 * its offset is capped there, so the databases get an integer they take (a product of two large
 * numbers is a float, which both refuse as an OFFSET).
 */
export function onePaging(q: { perpage?: string; page?: string }) {
  let perPage = queryInt(q.perpage);
  if (perPage <= 0) perPage = 1000;
  let page = queryInt(q.page);
  if (page < 1) page = 1;
  return { perPage, page, limit: perPage, offset: Math.min(perPage * (page - 1), Number.MAX_SAFE_INTEGER) };
}

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
