// How deeply a JSON text nests, counted without parsing it: a body nested thousands deep is
// refused before any recursive code (the JSON parser's prototype scan, schema validation, the
// stringify of a stored value) can run out of stack.

export const MAX_JSON_DEPTH = 64;

/** True when `text` opens more than `max` arrays/objects inside each other. */
export function jsonTooDeep(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}
