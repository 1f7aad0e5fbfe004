import { describe, expect, it, vi } from "vitest";
import { ensureChromium, findChromium, INSTALL_COMMAND } from "../support/chromium";

describe("ensureChromium (the browser tier's browser)", () => {
  it("uses a browser that is already there and installs nothing", () => {
    const install = vi.fn();
    expect(ensureChromium({ find: () => "/usr/bin/chromium", canInstall: () => true, install, notice: vi.fn() })).toBe("/usr/bin/chromium");
    expect(install).not.toHaveBeenCalled();
  });

  it("installs Debian's chromium with a one-line notice when it can", () => {
    let installed = false;
    const notice = vi.fn();
    const path = ensureChromium({
      find: () => (installed ? "/usr/bin/chromium" : undefined),
      canInstall: () => true,
      install: () => ((installed = true), { ok: true, output: "" }),
      notice,
    });
    expect(path).toBe("/usr/bin/chromium");
    expect(notice).toHaveBeenCalledTimes(1);
    expect(notice.mock.calls[0][0]).toContain(INSTALL_COMMAND);
  });

  it("fails at once with the exact command when it cannot install (not root, no apt)", () => {
    const install = vi.fn();
    expect(() => ensureChromium({ find: () => undefined, canInstall: () => false, install, notice: vi.fn() })).toThrow(INSTALL_COMMAND);
    expect(install).not.toHaveBeenCalled();
  });

  it("fails with apt's output when the install fails", () => {
    expect(() => ensureChromium({ find: () => undefined, canInstall: () => true, install: () => ({ ok: false, output: "E: Unable to locate package chromium" }), notice: vi.fn() })).toThrow(
      /Unable to locate package chromium[\s\S]*apt-get install/,
    );
  });

  it("lets CHROME_PATH choose the binary", () => {
    vi.stubEnv("CHROME_PATH", process.execPath);
    try {
      expect(findChromium()).toBe(process.execPath);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
