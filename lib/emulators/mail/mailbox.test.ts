import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import nodemailer from "nodemailer";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { devMailboxEnabled } from "./access";
import { startMailCatcher, type MailCatcher } from "./index";
import { caughtAttachment, listMessageIds, readMessage } from "./mailbox";

let catcher: MailCatcher;
let dir: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "coachbook-catcher-"));
  catcher = await startMailCatcher({ dir });
});
afterAll(async () => {
  await catcher.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});
afterEach(() => vi.unstubAllEnvs());

describe("mail catcher", () => {
  it("keeps each message as an .eml file and reads it back with its invite once", async () => {
    const transport = nodemailer.createTransport(catcher.url);
    await transport.sendMail({ from: "a@example.com", to: "b@example.com", subject: "Hello", text: "plain", html: "<p>rich</p>", icalEvent: { method: "REQUEST", filename: "invite.ics", content: "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n" } });
    const [id] = await listMessageIds(dir);
    expect(id).toMatch(/\.eml$/);
    const message = (await readMessage(id, dir))!;
    expect(message).toMatchObject({ from: "a@example.com", to: ["b@example.com"], subject: "Hello", text: "plain" });
    expect(message.html).toContain("<p>rich</p>");
    expect(message.attachments.map((a) => [a.filename, a.method])).toEqual([["invite.ics", "REQUEST"]]);
    expect((await caughtAttachment(id, 0, dir)).content).toContain("METHOD:REQUEST");
    await expect(caughtAttachment(id, 5, dir)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("refuses names that are not caught messages (no path outside the folder)", async () => {
    expect(await readMessage("../../etc/passwd", dir)).toBeNull();
    expect(await readMessage("nope.eml", dir)).toBeNull();
  });

  it("answers 451 while a fault is set, so senders retry", async () => {
    catcher.faults.failNext(1);
    const transport = nodemailer.createTransport(catcher.url);
    await expect(transport.sendMail({ from: "a@example.com", to: "b@example.com", subject: "x", text: "x" })).rejects.toMatchObject({ responseCode: 451 });
    await expect(transport.sendMail({ from: "a@example.com", to: "b@example.com", subject: "x", text: "x" })).resolves.toMatchObject({ accepted: ["b@example.com"] });
  });
});

describe("devMailboxEnabled", () => {
  it("is on in development, off in production unless DEV_MAILBOX=1", () => {
    vi.stubEnv("NODE_ENV", "development");
    expect(devMailboxEnabled()).toBe(true);
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("DEV_MAILBOX", "");
    expect(devMailboxEnabled()).toBe(false);
    vi.stubEnv("DEV_MAILBOX", "1");
    expect(devMailboxEnabled()).toBe(true);
    vi.stubEnv("NODE_ENV", "test");
    vi.stubEnv("DEV_MAILBOX", "");
    expect(devMailboxEnabled()).toBe(false);
  });
});
