import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { authenticate, authenticateClientPath, describeAuth, type Principal } from "./auth";
import type { Core, HandlerResult, Route } from "./core";
import type { FaultController } from "./faults";
import { bookingRoutes } from "./handlers/bookings";
import { eventTypeRoutes } from "./handlers/event-types";
import { managedUserRoutes } from "./handlers/managed-users";
import { scheduleRoutes } from "./handlers/schedules";
import { slotRoutes } from "./handlers/slots";
import { webhookRoutes } from "./handlers/webhooks";
import { errorEnvelope, EXCEPTION_NAMES, HttpError } from "./http-error";
import type { OpenApiValidator, ResolvedOperation } from "./openapi-validator";

/**
 * The request pipeline: fault injection → OpenAPI request validation → cal-api-version → auth → handler →
 * OpenAPI response validation. Violations are recorded; in strict mode a request or response violation turns the
 * answer into a 500 so the test that caused it fails.
 */
export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  /** Operation template from the OpenAPI document, if the path matched one. */
  template?: string;
  calApiVersion?: string;
  /** Kind of credentials sent (values are never recorded): none | apiKey | accessToken | clientHeaders | secretKey | clientId. */
  auth: string;
  body?: unknown;
  status?: number;
}

export const ROUTES: Route[] = [...managedUserRoutes, ...scheduleRoutes, ...eventTypeRoutes, ...slotRoutes, ...bookingRoutes, ...webhookRoutes];

export interface PipelineDeps {
  core: Core;
  validator: OpenApiValidator;
  faults: FaultController;
  strict: boolean;
  violations: string[];
  requests: RecordedRequest[];
}

const routeIndex = new Map(ROUTES.map((route) => [`${route.method} ${route.template}`, route]));

export function createHandler(deps: PipelineDeps) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", "http://emulator.local");
    const pathname = url.pathname;
    const requestId = (req.headers["x-request-id"] as string | undefined) ?? randomUUID();
    const rawBody = await readBody(req);
    const record: RecordedRequest = { method, path: pathname, query: url.search, auth: describeAuth(req.headers), calApiVersion: req.headers["cal-api-version"] as string | undefined };
    deps.requests.push(record);

    const send = (result: HandlerResult, op: ResolvedOperation | undefined, extraHeaders: Record<string, string> = {}) => {
      let { status, body } = result;
      const problems = deps.validator.validateResponse(op, status, body);
      if (problems.length > 0) {
        for (const problem of problems) deps.violations.push(`${method} ${op?.template ?? pathname} response ${status}: ${problem}`);
        if (deps.strict) {
          status = 500;
          body = errorEnvelope(pathname, 500, `Emulator: response violates the OpenAPI document: ${problems.join("; ")}`);
        }
      }
      record.status = status;
      const text = JSON.stringify(body);
      res.writeHead(status, {
        "content-type": "application/json; charset=utf-8",
        "content-length": Buffer.byteLength(text),
        "x-request-id": requestId,
        "x-ratelimit-limit-default": "500",
        "x-ratelimit-remaining-default": "499",
        "x-ratelimit-reset-default": "60",
        ...extraHeaders,
      });
      res.end(text);
    };
    const fail = (status: number, message: string, op?: ResolvedOperation, code?: string, headers?: Record<string, string>) =>
      send({ status, body: errorEnvelope(pathname, status, message, code ?? EXCEPTION_NAMES[status]) }, op, headers);

    try {
      if (deps.faults.latencyMs > 0) await sleep(deps.faults.latencyMs);
      for (const fault of deps.faults.take(method, pathname)) {
        if (fault.kind === "delay") await sleep(fault.ms);
        if (fault.kind === "rateLimit") {
          const headers: Record<string, string> = {
            "x-ratelimit-limit-default": "120",
            "x-ratelimit-remaining-default": "0",
            "x-ratelimit-reset-default": String(fault.resetSeconds),
          };
          if (fault.retryAfterHeader) headers["retry-after"] = String(fault.retryAfterSeconds);
          return fail(429, "ThrottlerException: Too Many Requests", undefined, "ThrottlerException", headers);
        }
        if (fault.kind === "fail") return fail(fault.status, `Emulated upstream failure (${fault.status})`);
      }

      let body: unknown;
      if (rawBody.length > 0) {
        try {
          body = JSON.parse(rawBody.toString("utf8"));
        } catch {
          return fail(400, "Request body is not valid JSON");
        }
      }
      record.body = body;

      const op = deps.validator.resolve(method, pathname);
      record.template = op?.template;
      const route = op ? routeIndex.get(`${method} ${op.template}`) : undefined;
      if (!op || !route) {
        if (!op) deps.violations.push(`${method} ${pathname} request: no such operation in the OpenAPI document`);
        return fail(404, `Cannot ${method} ${pathname}`);
      }

      const problems = deps.validator.validateRequest(op, { query: url.searchParams, headers: req.headers, body, contentType: req.headers["content-type"] });
      if (problems.length > 0) {
        for (const problem of problems) deps.violations.push(`${method} ${op.template} request: ${problem}`);
        if (deps.strict) return fail(500, `Emulator: request violates the OpenAPI document: ${problems.join("; ")}`, op);
      }

      // cal-api-version: missing/unknown → the server falls back to 2024-04-15 handlers. The emulator models only
      // the current versions, so such requests get the 404 of a route that does not exist in the old version.
      const expected = deps.validator.expectedVersion(op);
      if (expected !== undefined && req.headers["cal-api-version"] !== expected) {
        return fail(404, `Cannot ${method} ${pathname} (cal-api-version ${req.headers["cal-api-version"] ?? "missing → 2024-04-15"}; this emulator only serves ${expected})`, op);
      }

      let principal: Principal;
      if (route.auth === "clientPath") principal = authenticateClientPath(req.headers, op.pathParams.clientId, deps.core.config);
      else {
        principal = authenticate(req.headers, deps.core.state, deps.core.config);
        if (route.auth === "required" && principal.kind === "none") throw new HttpError(401, "No authentication method provided: send Authorization: Bearer <API key or access token>");
      }
      const result = route.handler({ method, pathname, params: op.pathParams, query: url.searchParams, body, headers: req.headers, principal, core: deps.core });
      return send(result, op);
    } catch (error) {
      if (error instanceof HttpError) return fail(error.status, error.message, undefined, error.code);
      deps.violations.push(`${method} ${pathname}: emulator crashed: ${error instanceof Error ? error.stack : String(error)}`);
      return fail(500, "Internal server error");
    }
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
