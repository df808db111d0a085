// One place for "now", so every timestamp is written in the same format.
export const now = (): string => new Date().toISOString();
