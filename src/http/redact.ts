// Keeps credentials out of logs: query parameters that can carry a secret (PostHog accepts
// `personal_api_key` in the query string; the email confirmation link carries `code`, as does
// single sign-on's return with its `state`) are logged as "[redacted]".
const SECRET_PARAM = /key|token|password|secret|session|auth|^code$|^state$/i;

export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      return eq >= 0 && SECRET_PARAM.test(decodeURIComponentSafe(name)) ? `${name}=[redacted]` : pair;
    });
  return `${url.slice(0, q)}?${params.join('&')}`;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
