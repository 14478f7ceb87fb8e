const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Identity's ids are UUIDs; anything else names nothing (and must not reach a uuid column). */
export function isId(value: string): boolean {
  return UUID.test(value);
}

export const onlyIds = (values: readonly string[]) => [...new Set(values.filter(isId))];
