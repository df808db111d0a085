// GET /metrics: Prometheus text with request counts by face and route pattern, memo hit rates.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type TestRoster } from '../helpers/roster.ts';

describe('/metrics', () => {
  let t: TestRoster;
  before(async () => {
    t = await startRoster();
  });
  after(() => t.close());

  it('counts requests by face, route pattern and status, in the Prometheus text format', async () => {
    await t.request('GET', '/api/org', t.admin);
    await t.request('GET', '/api/org', t.admin);
    await t.request('GET', '/api/orgs/12345', t.admin);
    const r = await t.request('GET', '/metrics');
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    assert.match(r.text, /^roster_http_requests_total\{face="grafana",method="GET",route="\/api\/org",status="200"\} 2$/m);
    // The route pattern, never the raw URL, so the label set stays bounded.
    assert.match(r.text, /route="\/api\/orgs\/:orgId",status="404"\} 1$/m);
    assert.match(r.text, /^roster_http_request_duration_seconds_count\{face="grafana",method="GET",route="\/api\/org"\} 2$/m);
    assert.match(r.text, /^roster_memo_lookups_total\{result="hit"\} \d+$/m);
    assert.match(r.text, /^process_resident_memory_bytes \d+$/m);
    for (const line of r.text.trim().split('\n')) assert.match(line, /^(# (HELP|TYPE) \w+ .+|[a-z_0-9]+(\{[^}]*\})? [\d.e+-]+)$/, line);
  });
});
