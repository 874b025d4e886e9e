/**
 * Channels in the UI, in Chromium against a real daemon and a real HTTP receiver (issue 16):
 * the Settings page lists channels masked with their health, adds one (a bad URL is refused at
 * the form, naming the field, and nothing is added), tests it (the sample reaches the
 * receiver), and refuses to remove one a job uses; the job editor sets a job's channels and
 * ping URL, and an unknown channel is refused at its field.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sundial, sundialJson } from "../support/cli.js";
import { openUiSession, jobRow, chooseInRowMenu, type UiSession, endUiSession } from "../support/ui-session.js";
import { HttpReceiver, startReceiver } from "../support/http-receiver.js";
import type { ChannelView } from "../../electron/shared/channels.js";
import type { JobView } from "../../electron/shared/schemas.js";

const TOKEN = "tok-e2e-secret-9f8e";
let session: UiSession;
let receiver: HttpReceiver;

beforeAll(async () => {
  receiver = await startReceiver();
  session = await openUiSession("e2e-channels");
  await sundial(["add", "backup", "--every", "1h", "--", "exit 1"], { home: session.home });
  await jobRow(session.page, "backup").waitFor();
}, 120_000);

afterAll(async () => {
  await receiver?.close();
  await endUiSession(session);
});

describe("channels on the Settings page", () => {
  it("adds a channel (refusing a non-http URL by field first), shows it masked, tests it, and will not remove it while a job uses it", async () => {
    const { page, home } = session;
    await page.getByRole("link", { name: "Settings" }).click();
    await page.getByRole("heading", { name: "Channels" }).waitFor();
    const form = page.getByRole("form", { name: "Add a channel" });

    await form.getByLabel("Channel name").fill("hook");
    await form.getByLabel("Webhook URL").fill("ftp://example.com/x");
    await form.getByRole("button", { name: "Add channel" }).click();
    await expect.poll(async () => (await form.getByRole("alert").allTextContents()).join(" ")).toContain("URL must be an http:// or https:// URL, not ftp:");
    expect((await sundialJson<ChannelView[]>(["channel", "list"], { home })).map((channel) => channel.name)).toEqual(["desktop"]);

    await form.getByLabel("Webhook URL").fill(`${receiver.url}/hook/${TOKEN}`);
    await form.getByRole("button", { name: "Add channel" }).click();
    const row = page.getByRole("row", { name: "Channel hook" });
    await row.waitFor();
    const rowText = (await row.textContent()) ?? "";
    expect(rowText).toContain(`${receiver.url}/••••9f8e`);
    expect(rowText).not.toContain(TOKEN);
    expect(await page.content()).not.toContain(TOKEN);

    await row.getByRole("button", { name: "Test hook" }).click();
    await receiver.waitForRequests(1, "/hook/");
    await expect.poll(async () => (await page.getByRole("status").allTextContents()).join(" ")).toContain("hook: Delivered: HTTP 200");

    await sundial(["edit", "backup", "--channel", "hook"], { home });
    await row.getByRole("button", { name: "Remove hook" }).click();
    await expect.poll(async () => (await page.getByRole("status").allTextContents()).join(" ")).toContain('channel "hook" is used by job "backup"');
    expect((await sundialJson<ChannelView[]>(["channel", "list"], { home })).map((channel) => channel.name)).toEqual(["desktop", "hook"]);
  });
});

describe("the job editor", () => {
  it("sets a job's channels and ping URL, and refuses an unknown channel at its field", async () => {
    const { page, home } = session;
    await page.getByRole("link", { name: "← All jobs" }).click();
    await jobRow(page, "backup").waitFor();
    await chooseInRowMenu(page, "backup", "Edit");
    const dialog = page.getByRole("dialog");
    const channels = dialog.getByLabel("Channels");
    expect(await channels.inputValue()).toBe("hook");

    await channels.fill("hook, nowhere");
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect.poll(async () => (await dialog.textContent()) ?? "").toContain('no channel named "nowhere"');
    expect((await sundialJson<JobView>(["show", "backup"], { home })).channels).toEqual(["hook"]);

    await channels.fill("hook, desktop");
    await dialog.getByLabel("Ping URL").fill(`${receiver.url}/ping/${TOKEN}`);
    await dialog.getByRole("button", { name: "Save" }).click();
    await dialog.waitFor({ state: "detached" });
    const job = await sundialJson<JobView>(["show", "backup"], { home });
    expect(job.channels).toEqual(["hook", "desktop"]);
    expect(job.pingUrl).toBe(`${receiver.url}/••••9f8e`);
    const full = JSON.parse((await sundial(["export", "--include-secrets"], { home })).stdout);
    expect(full.jobs[0].pingUrl).toBe(`${receiver.url}/ping/${TOKEN}`);
  });
});
