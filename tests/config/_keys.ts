// The keys the schema allows directly under `prefix`, in schema order: the list an
// "Unknown key" message offers. Derived so a new config section does not break the tests
// that check those messages word for word.
import { CONFIG_SCHEMA, quoteList } from "../../src/config/schema.ts";

export function childKeys(prefix = ""): string[] {
  const keys: string[] = [];
  for (const { path } of CONFIG_SCHEMA) {
    if (prefix !== "" && !path.startsWith(prefix + ".")) continue;
    const head = (prefix === "" ? path : path.slice(prefix.length + 1)).split(".")[0];
    if (!keys.includes(head)) keys.push(head);
  }
  return keys;
}

export function unknownKeyMessage(path: string, prefix = ""): string {
  return `Unknown key "${path}"; expected one of ${quoteList(childKeys(prefix))}`;
}
