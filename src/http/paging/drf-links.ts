// Django REST framework's next/previous links (replace_query_param / remove_query_param), which
// OnCall and PostHog both answer (docs/compat/oncall.md#pagination, docs/compat/posthog.md#pagination):
// the public URL, the request path as sent, and its query re-encoded with the keys sorted, blank
// values kept and values encoded as Python's quote_plus does.

/** Python's urllib.parse.quote_plus: unreserved characters kept, space as "+", the rest %XX. */
export function quotePlus(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9_.~-]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

function unquotePlus(text: string): string {
  const s = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(s);
  } catch {
    // Python decodes what it can and keeps the rest; a stray "%" stays literal here
    return s.replace(/%([0-9A-Fa-f]{2})/g, (m, h) => {
      const n = parseInt(h, 16);
      return n < 0x80 ? String.fromCharCode(n) : m;
    });
  }
}

/** parse_qs(keep_blank_values=True): values grouped by key in order of appearance. */
function parseQuery(query: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of query.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = unquotePlus(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : unquotePlus(part.slice(eq + 1));
    const list = out.get(key);
    if (list) list.push(value);
    else out.set(key, [value]);
  }
  return out;
}

/** `publicUrl` + the request's path + its query with `set` replacing and `remove` dropping keys. */
export function drfLink(publicUrl: string, requestUrl: string, set: Record<string, string>, remove: string[] = []): string {
  const q = requestUrl.indexOf('?');
  const path = q < 0 ? requestUrl : requestUrl.slice(0, q);
  const params = parseQuery(q < 0 ? '' : requestUrl.slice(q + 1));
  for (const [k, v] of Object.entries(set)) params.set(k, [v]);
  for (const k of remove) params.delete(k);
  const keys = [...params.keys()].sort();
  const encoded = keys.flatMap((k) => params.get(k)!.map((v) => `${quotePlus(k)}=${quotePlus(v)}`)).join('&');
  return publicUrl + path + (encoded ? `?${encoded}` : '');
}
