import fs from "node:fs";
import path from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { patchOpenApiDocument } from "@/lib/calcom/openapi-patches";
import { ERROR_ENVELOPE_SCHEMA } from "./http-error";

/**
 * Validates every request the emulator receives and every response it sends against Cal.com's OpenAPI document
 * (lib/calcom/openapi-v2.json), after the documented corrections in lib/calcom/openapi-patches.ts.
 *
 * - The operation is resolved by method + path template (literal segments win over `{params}`).
 * - Path, query and header parameters are coerced from strings to the declared type; array query params accept
 *   Cal.com's comma-separated form (`emails=a,b`).
 * - Not checked here, because the emulator reproduces the server's behaviour for them instead: the auth headers
 *   (Authorization, x-cal-secret-key, x-cal-client-id → 401 / 498 like Cal.com) and `cal-api-version` (missing →
 *   the 2024-04-15 fallback).
 * - 2xx bodies are validated against the documented response of that status; error bodies (the document
 *   declares none) against Cal.com's error envelope.
 */
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

type Schema = Record<string, unknown>;
interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

export interface ResolvedOperation {
  method: string;
  template: string;
  pointer: string;
  operation: Operation;
  pathParams: Record<string, string>;
}

const EMULATED_HEADERS = new Set(["authorization", "x-cal-secret-key", "x-cal-client-id", "cal-api-version"]);
const METHODS = ["get", "post", "patch", "put", "delete"];

interface Matcher {
  method: string;
  template: string;
  regex: RegExp;
  names: string[];
  literalCount: number;
}

export class OpenApiValidator {
  private readonly ajv: Ajv;
  private readonly coercingAjv: Ajv;
  private readonly doc: { paths: Record<string, Record<string, Operation>> };
  private readonly matchers: Matcher[] = [];
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(documentPath = path.join(process.cwd(), "lib/calcom/openapi-v2.json")) {
    const raw = JSON.parse(fs.readFileSync(resolveDocument(documentPath), "utf8"));
    this.doc = toAjvDialect(patchOpenApiDocument(raw));
    this.ajv = addFormats(new Ajv({ strict: false, allErrors: true, validateSchema: false }));
    this.coercingAjv = addFormats(new Ajv({ strict: false, allErrors: true, validateSchema: false, coerceTypes: "array" }));
    this.ajv.addSchema(this.doc, "openapi.json");
    this.coercingAjv.addSchema(this.doc, "openapi.json");
    this.ajv.addSchema(ERROR_ENVELOPE_SCHEMA, "error-envelope.json");
    for (const [template, item] of Object.entries(this.doc.paths)) {
      const names: string[] = [];
      const parts = template.split("/").map((segment) => {
        const param = /^\{(.+)\}$/.exec(segment);
        if (param) {
          names.push(param[1]);
          return "([^/]+)";
        }
        return segment.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
      });
      const literalCount = template.split("/").filter((segment) => segment && !segment.startsWith("{")).length;
      for (const method of Object.keys(item)) {
        if (!METHODS.includes(method)) continue;
        this.matchers.push({ method: method.toUpperCase(), template, regex: new RegExp(`^${parts.join("/")}$`), names, literalCount });
      }
    }
    this.matchers.sort((a, b) => b.literalCount - a.literalCount);
  }

  resolve(method: string, pathname: string): ResolvedOperation | undefined {
    const clean = pathname.replace(/\/+$/, "") || "/";
    for (const matcher of this.matchers) {
      if (matcher.method !== method) continue;
      const match = matcher.regex.exec(clean);
      if (!match) continue;
      const pathParams: Record<string, string> = {};
      matcher.names.forEach((name, index) => (pathParams[name] = decodeURIComponent(match[index + 1])));
      const lower = method.toLowerCase();
      return {
        method,
        template: matcher.template,
        pointer: `#/paths/${escape(matcher.template)}/${lower}`,
        operation: this.doc.paths[matcher.template][lower],
        pathParams,
      };
    }
    return undefined;
  }

  /** The `cal-api-version` the operation declares (its header parameter's default), if any. */
  expectedVersion(op: ResolvedOperation): string | undefined {
    const header = op.operation.parameters?.find((p) => p.in === "header" && p.name.toLowerCase() === "cal-api-version");
    return header?.schema?.default as string | undefined;
  }

  validateRequest(
    op: ResolvedOperation,
    request: { query: URLSearchParams; headers: Record<string, string | string[] | undefined>; body: unknown; contentType?: string },
  ): string[] {
    const problems: string[] = [];
    (op.operation.parameters ?? []).forEach((param, index) => {
      if (param.in === "header" && EMULATED_HEADERS.has(param.name.toLowerCase())) return;
      if (param.in === "cookie") return;
      let value: unknown;
      if (param.in === "path") value = op.pathParams[param.name];
      else if (param.in === "header") value = request.headers[param.name.toLowerCase()];
      else {
        const all = request.query.getAll(param.name);
        const isArray = param.schema?.type === "array";
        value = all.length === 0 ? undefined : isArray ? all.flatMap((v) => v.split(",")).filter((v) => v !== "") : all[all.length - 1];
      }
      if (value === undefined || value === "") {
        if (param.required) problems.push(`missing required ${param.in} parameter "${param.name}"`);
        return;
      }
      if (!param.schema || Object.keys(param.schema).length === 0) return;
      const validate = this.compile(`${op.pointer}/parameters/${index}/schema`, true);
      const holder = { value };
      const ok = validate(holder.value);
      if (!ok) problems.push(`${param.in} parameter "${param.name}" ${this.ajv.errorsText(validate.errors, { dataVar: "" }).trim()}`);
    });

    const body = op.operation.requestBody;
    if (request.body === undefined) {
      if (body?.required) problems.push("missing required JSON request body");
    } else if (!body) {
      problems.push("operation declares no request body, but one was sent");
    } else {
      if (!request.contentType?.includes("application/json")) problems.push(`request body content-type is "${request.contentType ?? ""}", expected application/json`);
      if (body.content?.["application/json"]?.schema) {
        const validate = this.compile(`${op.pointer}/requestBody/content/application~1json/schema`);
        if (!validate(request.body)) problems.push(`request body: ${this.ajv.errorsText(validate.errors, { dataVar: "body" })}`);
      }
    }
    return problems;
  }

  validateResponse(op: ResolvedOperation | undefined, status: number, body: unknown): string[] {
    if (status >= 400) {
      const validate = this.ajv.getSchema("error-envelope.json")!;
      return validate(body) ? [] : [`error body is not Cal.com's envelope: ${this.ajv.errorsText(validate.errors, { dataVar: "body" })}`];
    }
    if (!op) return [];
    const response = op.operation.responses?.[String(status)];
    if (!response) return [`status ${status} is not documented (documented: ${Object.keys(op.operation.responses ?? {}).join(", ")})`];
    if (!response.content?.["application/json"]?.schema) return [];
    const validate = this.compile(`${op.pointer}/responses/${status}/content/application~1json/schema`);
    return validate(body) ? [] : [`response body: ${this.ajv.errorsText(validate.errors, { dataVar: "body" })}`];
  }

  private compile(pointer: string, coerce = false): ValidateFunction {
    const key = `${coerce ? "c" : "s"}:${pointer}`;
    let validate = this.cache.get(key);
    if (!validate) {
      validate = (coerce ? this.coercingAjv : this.ajv).compile({ $ref: `openapi.json${pointer}` });
      this.cache.set(key, validate);
    }
    return validate;
  }
}

function escape(template: string) {
  return template.replace(/~/g, "~0").replace(/\//g, "~1").replace(/\{/g, "%7B").replace(/\}/g, "%7D");
}

function resolveDocument(documentPath: string) {
  if (fs.existsSync(documentPath)) return documentPath;
  const besideThisFile = path.join(import.meta.dirname, "../../calcom/openapi-v2.json");
  return besideThisFile;
}

/**
 * OpenAPI 3.0 → what ajv understands: `nullable: true` without a `type` (e.g. next to `allOf`) becomes
 * `anyOf: [<schema>, {type: "null"}]`; ajv handles `nullable` itself when a `type` is present.
 */
function toAjvDialect<T>(doc: T): T {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (!node || typeof node !== "object") return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) out[key] = visit(value);
    if (out.nullable === true && out.type === undefined) {
      delete out.nullable;
      return { anyOf: [out, { type: "null" }] };
    }
    return out;
  };
  return visit(doc) as T;
}
