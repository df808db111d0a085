// The one way the console talks to the server: JSON over fetch with the session cookie.
// Errors become ApiError with the server's own message, so pages can show it as it is.

export class ApiError extends Error {
  constructor(
    public status: number,
    message: string,
    public body: unknown,
  ) {
    super(message);
  }
}

export interface CallOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Act in this org (Grafana's X-Grafana-Org-Id), whatever the user's current org is. */
  orgId?: number;
}

let onUnauthorized: () => void = () => {};

/** Called when the session is gone (expired, signed out elsewhere): the app shows the sign-in page. */
export function setUnauthorizedHandler(fn: () => void) {
  onUnauthorized = fn;
}

/** The message of each face's error body: Grafana {message}, Roster {error:{message,field}}, PostHog/OnCall {detail,attr}. */
function messageOf(status: number, body: unknown): string {
  if (body && typeof body === 'object') {
    const b = body as { message?: unknown; title?: unknown; error?: { message?: unknown; field?: unknown }; detail?: unknown; attr?: unknown };
    if (typeof b.message === 'string' && b.message) {
      // The RBAC deny body: "Access denied" + which permission was missing.
      return typeof b.title === 'string' && b.title ? `${b.title}. ${b.message}` : b.message;
    }
    if (b.error && typeof b.error.message === 'string') {
      return typeof b.error.field === 'string' ? `${b.error.message} (${b.error.field})` : b.error.message;
    }
    if (typeof b.detail === 'string' && b.detail) return typeof b.attr === 'string' && b.attr ? `${b.attr}: ${b.detail}` : b.detail;
  }
  if (status === 404) return 'Not found';
  if (status >= 500) return `The server failed (${status}). Try again; if it keeps failing, check the server log.`;
  return `Request failed (${status})`;
}

export async function api<T = unknown>(path: string, opts: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.orgId !== undefined) headers['x-grafana-org-id'] = String(opts.orgId);
  let res: Response;
  try {
    res = await fetch(path, {
      method: opts.method ?? 'GET',
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'Cannot reach the server. Check the connection and try again.', null);
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  if (!res.ok) {
    if (res.status === 401 && path !== '/login') onUnauthorized();
    throw new ApiError(res.status, messageOf(res.status, body), body);
  }
  return body as T;
}

export const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));
