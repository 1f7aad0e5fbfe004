/**
 * Parser for Stripe's `application/x-www-form-urlencoded` bodies with bracket notation, e.g.
 * `line_items[0][price_data][currency]=eur&metadata[bookingId]=b1&expand[]=payment_intent`.
 *
 * - `a[b][c]=v` builds nested objects; `a[]=v` appends to an array.
 * - Numeric segments (`line_items[0]`) build objects keyed "0", "1", … because only the endpoint knows
 *   whether `metadata[0]` is a key or an index; `asList()` turns such an object into an array.
 * - Objects have a null prototype, so keys like `__proto__` or `constructor` are plain data.
 * - Malformed input (bad percent-encoding, unbalanced brackets, `a=1&a[b]=2`) throws FormParseError.
 */

export type FormValue = string | FormValue[] | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

export class FormParseError extends Error {
  constructor(
    message: string,
    readonly param?: string,
  ) {
    super(message);
    this.name = "FormParseError";
  }
}

export function emptyFormObject(): FormObject {
  return Object.create(null) as FormObject;
}

export function isFormObject(value: FormValue | undefined): value is FormObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, " "));
  } catch {
    throw new FormParseError(`Invalid URL encoding: ${part.slice(0, 60)}`);
  }
}

/** `a[b][0][]` → ["a", "b", "0", ""]; "" means "append". */
export function parseKeyPath(key: string): string[] {
  const open = key.indexOf("[");
  if (open === -1) {
    if (key.includes("]")) throw new FormParseError(`Invalid parameter name: ${key}`, key);
    return [key];
  }
  const head = key.slice(0, open);
  if (head === "") throw new FormParseError(`Invalid parameter name: ${key}`, key);
  const segments = [head];
  let rest = key.slice(open);
  while (rest.length > 0) {
    const match = /^\[([^[\]]*)\]/.exec(rest);
    if (!match) throw new FormParseError(`Invalid parameter name: ${key}`, key);
    segments.push(match[1]);
    rest = rest.slice(match[0].length);
  }
  // `a[][b]` (append then descend) is ambiguous; Stripe's SDK never sends it.
  for (let i = 1; i < segments.length - 1; i++) {
    if (segments[i] === "") throw new FormParseError(`Invalid parameter name: ${key}`, key);
  }
  return segments;
}

function assign(root: FormObject, path: string[], value: string, key: string): void {
  let node: FormObject = root;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const last = i === path.length - 1;
    const nextIsAppend = !last && path[i + 1] === "" && i + 1 === path.length - 1;
    if (last) {
      if (Object.hasOwn(node, segment) && typeof node[segment] !== "string") {
        throw new FormParseError(`Invalid parameter: ${key} conflicts with a nested value`, key);
      }
      node[segment] = value;
      return;
    }
    if (nextIsAppend) {
      const existing = node[segment];
      if (existing === undefined) node[segment] = [value];
      else if (Array.isArray(existing)) existing.push(value);
      else throw new FormParseError(`Invalid parameter: ${key} mixes array and non-array values`, key);
      return;
    }
    const existing = Object.hasOwn(node, segment) ? node[segment] : undefined;
    if (existing === undefined) {
      const child = emptyFormObject();
      node[segment] = child;
      node = child;
    } else if (isFormObject(existing)) {
      node = existing;
    } else {
      throw new FormParseError(`Invalid parameter: ${key} conflicts with an earlier value`, key);
    }
  }
}

export function parseForm(body: string): FormObject {
  const root = emptyFormObject();
  if (!body) return root;
  for (const pair of body.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? "" : pair.slice(eq + 1);
    const key = decode(rawKey);
    if (key === "") continue;
    assign(root, parseKeyPath(key), decode(rawValue), key);
  }
  return root;
}

/**
 * A list parameter as Stripe's SDK sends it (`x[0]=…&x[1]=…`) or as `x[]=…`; returns undefined when the
 * value is neither an array nor an object whose keys are exactly 0..n-1.
 */
export function asList(value: FormValue | undefined): FormValue[] | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value;
  if (!isFormObject(value)) return undefined;
  const keys = Object.keys(value);
  if (!keys.every((k) => /^(0|[1-9]\d*)$/.test(k))) return undefined;
  const indexes = keys.map(Number).sort((a, b) => a - b);
  if (!indexes.every((n, i) => n === i)) return undefined;
  return indexes.map((i) => value[String(i)]);
}

/** Deterministic JSON (sorted keys) used to compare idempotent requests. */
export function canonicalJson(value: FormValue | undefined): string {
  if (value === undefined) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(",")}}`;
}
