// Grafana's path org ids, checked as its RBAC middleware does.
import { forbidden } from '../../domain/errors.ts';

/** The RBAC middleware denies a non-numeric or zero org id before the handler runs. */
export function pathOrgId(value: string): number {
  const n = /^-?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n === 0) throw forbidden('');
  return n;
}
