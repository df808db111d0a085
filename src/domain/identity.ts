// Logins and emails in one canonical form, so that lookalikes cannot sit side by side: NFKC
// (fullwidth `ｋａｒｅｎ` is `karen`, ligatures and compatibility forms fold to their letters),
// trimmed and lower-cased (as Grafana compares logins). What NFKC cannot fold is refused:
// invisible characters (default-ignorable code points such as U+200B, format characters,
// controls, unusual spaces) and letters of another script posing as Latin ones (`kаren` with a
// Cyrillic а, or a whole word of Cyrillic/Greek lookalikes). Every face and the CLI create and
// change logins and emails through users.ts, which calls these.
import { invalid } from './errors.ts';
import { limitLength } from './limits.ts';

const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Cc}\p{Co}\p{Cn}\p{Zl}\p{Zp}]|[^\P{Zs} ]/u;

// Cyrillic and Greek letters that read as Latin ones (Unicode's confusables for the letters a-z).
const LATIN_LOOKALIKES = new Set([...'аеорсухіјѕԁһӏԛԝѵүԍοανικυχρ']);
const SCRIPTS: [string, RegExp][] = [
  ['Latin', /\p{Script=Latin}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
];

/** Lower-cased NFKC form, trimmed: how logins and emails are stored and looked up. */
export const foldIdentifier = (s: string | undefined | null) => (s ?? '').normalize('NFKC').trim().toLowerCase();

/** Why a folded identifier cannot be used, or undefined. Each @- or .-separated part is judged alone. */
export function identifierFault(folded: string): string | undefined {
  if (INVISIBLE.test(folded)) return 'contains an invisible or control character';
  for (const part of folded.split(/[@.]/)) {
    const scripts = SCRIPTS.filter(([, re]) => re.test(part)).map(([name]) => name);
    if (scripts.length > 1) return `mixes ${scripts.join(' and ')} letters`;
    const letters = [...part].filter((c) => /\p{L}/u.test(c));
    if (scripts[0] && scripts[0] !== 'Latin' && letters.length > 0 && letters.every((c) => LATIN_LOOKALIKES.has(c))) {
      return `is written in ${scripts[0]} letters that read as Latin ones`;
    }
  }
  return undefined;
}

/**
 * The stored form of a login or email given by a caller (`field` names it in the refusal):
 * folded, then refused when invisible characters or lookalike letters remain, or too long.
 */
export function canonicalIdentifier(field: 'login' | 'email', raw: string | undefined | null): string {
  const folded = foldIdentifier(raw);
  const fault = identifierFault(folded);
  if (fault) throw invalid(`user.${field}-invalid`, `${field} ${fault}`, { field, attr: field });
  return limitLength(field === 'login' ? 'user.login' : 'user.email', folded, field);
}

/** The key a login or email is looked up by; undefined when it cannot name anyone. */
export function lookupKey(raw: string | undefined | null): string | undefined {
  const folded = foldIdentifier(raw);
  return folded && !identifierFault(folded) ? folded : undefined;
}
