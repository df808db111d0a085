// The API reference at /api/docs: one self-contained HTML page rendered on the server from the
// same OpenAPI document /api/openapi.json serves, grouped by tag. No scripts or styles from a CDN;
// a few lines of inline script filter operations as one types.
import type { FastifyInstance } from 'fastify';

type Json = Record<string, any>;
const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'];

const esc = (s: unknown) =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A schema in one short line per field, nested objects indented (refs named, not expanded). */
function schemaText(s: Json | undefined, depth = 0): string {
  if (!s) return '';
  if (s.$ref) return String(s.$ref).replace('#/components/schemas/', '');
  const pad = '  '.repeat(depth);
  if (s.anyOf || s.oneOf) return (s.anyOf ?? s.oneOf).map((x: Json) => schemaText(x, depth)).join(' | ');
  if (s.type === 'array') return `array of ${schemaText(s.items, depth)}`;
  if (s.type === 'object' || s.properties) {
    const req = new Set<string>(s.required ?? []);
    const props = Object.entries<Json>(s.properties ?? {});
    if (!props.length) return 'object';
    return '{\n' + props.map(([k, v]) => `${pad}  ${k}${req.has(k) ? '' : '?'}: ${schemaText(v, depth + 1)}`).join('\n') + `\n${pad}}`;
  }
  const t = Array.isArray(s.type) ? s.type.join(' | ') : (s.type ?? (s.const !== undefined ? JSON.stringify(s.const) : s.enum ? s.enum.map((e: unknown) => JSON.stringify(e)).join(' | ') : 'any'));
  return t + (s.enum && s.type ? ` (${s.enum.join(', ')})` : '') + (s.format ? ` <${s.format}>` : '');
}

function operationHtml(method: string, path: string, op: Json): string {
  const params = (op.parameters ?? []) as Json[];
  const body = op.requestBody?.content ? Object.entries<Json>(op.requestBody.content)[0] : undefined;
  const responses = Object.entries<Json>(op.responses ?? {});
  return `<details class="op" data-text="${esc(`${method} ${path} ${op.summary ?? ''}`.toLowerCase())}">
<summary><span class="m m-${method}">${method.toUpperCase()}</span> <code>${esc(path)}</code> <span class="s">${esc(op.summary)}</span></summary>
${op.description ? `<p>${esc(op.description)}</p>` : ''}
${params.length ? `<h4>Parameters</h4><table><tr><th>Name</th><th>In</th><th>Type</th><th>Required</th></tr>${params.map((p) => `<tr><td><code>${esc(p.name)}</code></td><td>${esc(p.in)}</td><td>${esc(schemaText(p.schema))}</td><td>${p.required ? 'yes' : ''}</td></tr>`).join('')}</table>` : ''}
${body ? `<h4>Request body <small>${esc(body[0])}</small></h4><pre>${esc(schemaText(body[1].schema))}</pre>` : ''}
${responses.length ? `<h4>Responses</h4>${responses.map(([code, r]) => { const c = r.content ? Object.values<Json>(r.content)[0] : undefined; return `<div><b>${esc(code)}</b> ${esc(r.description === 'Default Response' ? '' : r.description)}${c?.schema ? `<pre>${esc(schemaText(c.schema))}</pre>` : ''}</div>`; }).join('')}` : ''}
</details>`;
}

export function renderApiDocs(doc: Json): string {
  const groups = new Map<string, string[]>();
  let count = 0;
  for (const [path, item] of Object.entries<Json>(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const tag = op.tags?.[0] ?? 'other';
      if (!groups.has(tag)) groups.set(tag, []);
      groups.get(tag)!.push(operationHtml(method, path, op));
      count++;
    }
  }
  const tags = [...groups.keys()].sort();
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(doc.info?.title)} API reference</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:1rem;color:#1d2433}
h1{margin:.2rem 0}nav a{margin-right:.8rem;white-space:nowrap}input{font:inherit;padding:.4rem;width:100%;max-width:28rem;margin:.5rem 0}
section h2{border-bottom:1px solid #ccd;padding-bottom:.2rem;margin-top:2rem}.op{border:1px solid #dde;border-radius:6px;margin:.4rem 0;padding:.3rem .6rem}
.op summary{cursor:pointer}.s{color:#556}.m{display:inline-block;min-width:4.2rem;font:bold 12px monospace;text-align:center;border-radius:4px;padding:2px 4px;color:#fff;background:#667}
.m-get{background:#2b7a3d}.m-post{background:#1f5fbf}.m-put,.m-patch{background:#a36200}.m-delete{background:#b3261e}
pre{background:#f4f5f8;padding:.5rem;overflow:auto;font-size:13px}table{border-collapse:collapse}td,th{border:1px solid #dde;padding:2px 6px;text-align:left}
</style></head><body>
<h1>${esc(doc.info?.title)} API reference</h1>
<p>${esc(doc.info?.description)} — version ${esc(doc.info?.version)}, OpenAPI ${esc(doc.openapi)}, ${count} operations.
Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a>.</p>
<nav>${tags.map((t) => `<a href="#tag-${esc(encodeURIComponent(t))}">${esc(t)}</a>`).join(' ')}</nav>
<input id="filter" type="search" placeholder="Filter by path, method or summary" aria-label="Filter operations">
${tags.map((t) => `<section id="tag-${esc(encodeURIComponent(t))}"><h2>${esc(t)}</h2>${groups.get(t)!.join('\n')}</section>`).join('\n')}
<script>
document.getElementById('filter').addEventListener('input', function (e) {
  var q = e.target.value.toLowerCase();
  document.querySelectorAll('.op').forEach(function (op) { op.style.display = op.dataset.text.indexOf(q) >= 0 ? '' : 'none'; });
  document.querySelectorAll('section').forEach(function (s) { s.style.display = s.querySelector('.op:not([style*="none"])') ? '' : 'none'; });
});
</script>
</body></html>`;
}

export function apiDocsRoute(app: FastifyInstance): void {
  // Rendered once: routes are fixed after start-up.
  let html: string | undefined;
  app.get('/api/docs', { schema: { hide: true } }, async (_req, reply) => {
    html ??= renderApiDocs(app.swagger() as Json);
    return reply.type('text/html; charset=utf-8').send(html);
  });
}
