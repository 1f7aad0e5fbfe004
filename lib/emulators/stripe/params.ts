import { asList, isFormObject, type FormObject, type FormValue } from "./form";
import { invalidParam, missingParam, unknownParam } from "./errors";

/**
 * Reads one endpoint's parameters and remembers which keys it read; `done()` then rejects everything else
 * with Stripe's `parameter_unknown` error, so a typo in the app fails loudly as it would against Stripe.
 * Messages and codes follow Stripe's (`parameter_missing`, `parameter_invalid_integer`, `parameter_invalid_empty`).
 */
export class ParamReader {
  private readonly used = new Set<string>();
  private readonly children: ParamReader[] = [];

  constructor(
    private readonly obj: FormObject,
    private readonly prefix = "",
  ) {}

  name(key: string): string {
    return this.prefix ? `${this.prefix}[${key}]` : key;
  }

  has(key: string): boolean {
    return Object.hasOwn(this.obj, key);
  }

  raw(key: string): FormValue | undefined {
    this.used.add(key);
    return Object.hasOwn(this.obj, key) ? this.obj[key] : undefined;
  }

  /** Accepts these keys without interpreting them (real Stripe parameters the emulator does not model). */
  ignore(...keys: string[]): this {
    for (const key of keys) this.used.add(key);
    return this;
  }

  private scalar(key: string, required: boolean, emptyable: boolean): string | undefined {
    const value = this.raw(key);
    if (value === undefined) {
      if (required) throw missingParam(this.name(key));
      return undefined;
    }
    if (typeof value !== "string") throw invalidParam(`Invalid ${this.name(key)}: must be a string, not a hash or array`, this.name(key));
    if (value === "" && !emptyable) {
      const n = this.name(key);
      throw invalidParam(
        `You passed an empty string for '${n}'. We assume empty values are an attempt to unset a parameter; however '${n}' cannot be unset. You should remove '${n}' from your request or supply a non-empty value.`,
        n,
        "parameter_invalid_empty",
      );
    }
    return value;
  }

  string(key: string, opts: { required?: boolean; maxLength?: number; emptyable?: boolean } = {}): string | undefined {
    const value = this.scalar(key, opts.required ?? false, opts.emptyable ?? false);
    if (value !== undefined && opts.maxLength !== undefined && value.length > opts.maxLength) {
      throw invalidParam(`Invalid ${this.name(key)}: must be at most ${opts.maxLength} characters`, this.name(key));
    }
    return value;
  }

  requiredString(key: string, opts: { maxLength?: number } = {}): string {
    return this.string(key, { ...opts, required: true }) as string;
  }

  enum<const T extends string>(key: string, values: readonly T[], opts: { required?: boolean } = {}): T | undefined {
    const value = this.scalar(key, opts.required ?? false, false);
    if (value === undefined) return undefined;
    if (!(values as readonly string[]).includes(value)) {
      throw invalidParam(`Invalid ${this.name(key)}: must be one of ${values.join(", ")}`, this.name(key));
    }
    return value as T;
  }

  integer(key: string, opts: { required?: boolean; min?: number; max?: number } = {}): number | undefined {
    const value = this.scalar(key, opts.required ?? false, false);
    if (value === undefined) return undefined;
    const n = /^-?\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n)) throw invalidParam(`Invalid integer: ${value}`, this.name(key), "parameter_invalid_integer");
    if (opts.min !== undefined && n < opts.min) {
      throw invalidParam(
        opts.min === 1 ? `Invalid positive integer` : `Invalid ${this.name(key)}: must be at least ${opts.min}`,
        this.name(key),
        "parameter_invalid_integer",
      );
    }
    if (opts.max !== undefined && n > opts.max) {
      throw invalidParam(`Invalid ${this.name(key)}: must be at most ${opts.max}`, this.name(key), "parameter_invalid_integer");
    }
    return n;
  }

  boolean(key: string): boolean | undefined {
    const value = this.scalar(key, false, false);
    if (value === undefined) return undefined;
    if (value === "true") return true;
    if (value === "false") return false;
    throw invalidParam(`Invalid boolean: ${value}`, this.name(key));
  }

  object(key: string, opts: { required?: boolean } = {}): ParamReader | undefined {
    const value = this.raw(key);
    if (value === undefined) {
      if (opts.required) throw missingParam(this.name(key));
      return undefined;
    }
    if (!isFormObject(value)) throw invalidParam(`Invalid ${this.name(key)}: must be a hash`, this.name(key));
    const child = new ParamReader(value, this.name(key));
    this.children.push(child);
    return child;
  }

  objectList(key: string, opts: { required?: boolean } = {}): ParamReader[] | undefined {
    const value = this.raw(key);
    if (value === undefined) {
      if (opts.required) throw missingParam(this.name(key));
      return undefined;
    }
    const list = asList(value);
    if (!list) throw invalidParam(`Invalid array: ${this.name(key)}`, this.name(key));
    return list.map((item, i) => {
      const n = `${this.name(key)}[${i}]`;
      if (!isFormObject(item)) throw invalidParam(`Invalid ${n}: must be a hash`, n);
      const child = new ParamReader(item, n);
      this.children.push(child);
      return child;
    });
  }

  stringList(key: string): string[] | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    if (value === "") return [];
    const list = asList(value);
    if (!list || !list.every((v): v is string => typeof v === "string")) throw invalidParam(`Invalid array: ${this.name(key)}`, this.name(key));
    return list;
  }

  /** `metadata[key]=value`; an empty value means "unset this key" on updates. Limits as Stripe's. */
  metadata(key = "metadata"): Record<string, string> | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    if (value === "") return {};
    if (!isFormObject(value)) throw invalidParam(`Invalid ${this.name(key)}: must be a hash`, this.name(key));
    const out: Record<string, string> = {};
    const entries = Object.entries(value);
    if (entries.length > 50) throw invalidParam(`Invalid ${this.name(key)}: cannot have more than 50 keys`, this.name(key));
    for (const [k, v] of entries) {
      const n = `${this.name(key)}[${k}]`;
      if (typeof v !== "string") throw invalidParam(`Invalid ${n}: metadata values must be strings`, n);
      if (k.length > 40) throw invalidParam(`Invalid ${n}: metadata keys must be at most 40 characters`, n);
      if (v.length > 500) throw invalidParam(`Invalid ${n}: metadata values must be at most 500 characters`, n);
      setOwn(out, k, v);
    }
    return out;
  }

  expand(): string[] {
    return this.stringList("expand") ?? [];
  }

  /** Throws `parameter_unknown` for the first key nobody read, here or in nested readers. */
  done(): void {
    for (const key of Object.keys(this.obj)) {
      if (!this.used.has(key)) throw unknownParam(this.name(key));
    }
    for (const child of this.children) child.done();
  }
}

/** Applies Stripe's metadata update semantics: keys with "" are removed, others set. */
export function mergeMetadata(current: Record<string, string>, update: Record<string, string> | undefined): Record<string, string> {
  if (update === undefined) return current;
  if (Object.keys(update).length === 0) return {};
  const next = { ...current };
  for (const [k, v] of Object.entries(update)) {
    if (v === "") delete next[k];
    else setOwn(next, k, v);
  }
  return next;
}

/** Metadata for create calls: empty values are dropped. */
export function createMetadata(update: Record<string, string> | undefined): Record<string, string> {
  return mergeMetadata({}, update);
}

/** Assignment that treats keys such as `__proto__` as plain data. */
export function setOwn(target: Record<string, string>, key: string, value: string): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
