import { describe, expect, it, vi } from "vitest";

vi.mock("./session-token", () => ({ readSessionToken: vi.fn() }));
vi.mock("next/navigation", () => ({ redirect: vi.fn() }));
const { safeCallbackPath } = await import("./session");

describe("safeCallbackPath", () => {
  it("keeps same-site paths with their query", () => {
    expect(safeCallbackPath("/student/bookings/new?coach=a&offering=b")).toBe("/student/bookings/new?coach=a&offering=b");
    expect(safeCallbackPath("/coach")).toBe("/coach");
  });
  it.each(["//evil.com", "/\\evil.com", "/%5Cevil.com/..", "/\t/evil.com", "/\n/evil.com", "https://evil.com", "evil.com", "", undefined, "/".padEnd(3000, "a")])(
    "refuses %j",
    (raw) => {
      const result = safeCallbackPath(raw as string | undefined);
      if (result !== null) expect(new URL(result, "http://x.test").origin).toBe("http://x.test");
      else expect(result).toBeNull();
    },
  );
  it("refuses the backslash and control-character tricks outright", () => {
    expect(safeCallbackPath("/\\evil.com")).toBeNull();
    expect(safeCallbackPath("/\t/evil.com")).toBeNull();
    expect(safeCallbackPath("//evil.com")).toBeNull();
  });
});
