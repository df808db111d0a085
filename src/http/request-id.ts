// A caller's X-Request-Id is echoed and kept in the audit trail, so it is taken only when it is
// short printable ASCII; anything else gets a generated id instead of a refusal (the header is
// advisory, and a proxy's odd id should not fail the request).
const ACCEPTED = /^[\x21-\x7e]{1,128}$/;

export function acceptedRequestId(header: string | string[] | undefined): string | undefined {
  return typeof header === 'string' && ACCEPTED.test(header) ? header : undefined;
}
