/**
 * Channels and ping URLs end to end (issue 16): the real daemon driven by the real CLI, real
 * HTTP receivers on 127.0.0.1 and a real command channel. A failing job's `run.failed` reaches
 * a webhook with the body DESIGN.md describes, in each preset's shape; a command channel reads
 * it on stdin; pings arrive in order with the exit code; a receiver that is down makes
 * deliveries retry and the channel show as failing while an every-second job keeps running on
 * its slots; secrets are masked everywhere but `export --include-secrets`; bad input is refused
 * naming the field, and changes nothing.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removeTempHomes, startDaemon, stopAllDaemons, sundial, sundialJson, tempHome, waitFor } from "../support/cli.js";
import { HttpReceiver, startReceiver } from "../support/http-receiver.js";
import type { ChannelView } from "../../electron/shared/channels.js";
import type { EngineStatus } from "../../electron/shared/contract.js";
import type { JobView, Run } from "../../electron/shared/schemas.js";
import { buildRunNotification } from "../../electron/core/notifier/policy.js";
import { tempFolder } from "../support/temp-folders.mjs";

const BAD_INPUT = 2;
const receivers: HttpReceiver[] = [];

afterAll(async () => {
  await stopAllDaemons();
  await Promise.all(receivers.map((receiver) => receiver.close()));
  removeTempHomes();
});

async function receiver(): Promise<HttpReceiver> {
  const started = await startReceiver();
  receivers.push(started);
  return started;
}

/** `sundial run JOB --wait`, then the finished run. */
async function runToEnd(home: string, job: string): Promise<Run> {
  await sundial(["run", job, "--wait"], { home });
  const [run] = await sundialJson<Run[]>(["history", job, "--limit", "1"], { home });
  return run!;
}

const TOKEN = "c0ffee-5ecret-7oken-1a2b";

describe("webhook channels", () => {
  it("delivers a failing run's run.failed with its job, run, log tail and the desktop notification's words; successes only to a channel that carries them", async () => {
    const home = tempHome("channel-webhook");
    const hook = await receiver();
    await startDaemon(home);
    expect((await sundial(["channel", "add", "hook", "--webhook", `${hook.url}/hook/${TOKEN}`], { home })).code).toBe(0);
    expect((await sundial(["channel", "add", "every", "--webhook", `${hook.url}/every`, "--events", "all"], { home })).code).toBe(0);
    const added = await sundialJson<JobView>(["add", "nightly", "--every", "1h", "--channel", "hook", "--channel", "every", "--", "echo copying; echo disk full >&2; exit 3"], { home });
    expect(added.channels).toEqual(["hook", "every"]);

    const failed = await runToEnd(home, "nightly");
    expect(failed).toMatchObject({ status: "failed", exitCode: 3 });
    const [request] = await hook.waitForRequests(1, "/hook/");
    expect(request).toMatchObject({ method: "POST", path: `/hook/${TOKEN}` });
    expect(request!.headers["content-type"]).toBe("application/json");
    const body = JSON.parse(request!.body);
    const desktop = buildRunNotification(added, failed, "copying\ndisk full\n");
    expect(body).toEqual({
      event: "run.failed",
      job: { id: added.id, name: "nightly" },
      run: { id: failed.id, status: "failed", exitCode: 3, durationMs: failed.durationMs, startedAt: failed.startedAt },
      logTail: "copying\ndisk full",
      title: "nightly failed",
      message: desktop.message,
      at: failed.endedAt,
    });

    // A success goes to "every" (events all) and not to "hook" (failures, alerts, recoveries):
    // "hook" delivers in order, so the failure after it is the next thing it receives.
    await sundial(["edit", "nightly", "--", "echo fine"], { home });
    await runToEnd(home, "nightly");
    await sundial(["edit", "nightly", "--", "exit 4"], { home });
    await runToEnd(home, "nightly");
    const hookBodies = (await hook.waitForRequests(2, "/hook/")).map((received) => JSON.parse(received.body) as { event: string; run: { exitCode: number } });
    expect(hookBodies.map((received) => [received.event, received.run.exitCode])).toEqual([
      ["run.failed", 3],
      ["run.failed", 4],
    ]);
    const everyBodies = (await hook.waitForRequests(3, "/every")).map((received) => JSON.parse(received.body) as { event: string });
    expect(everyBodies.map((received) => received.event)).toEqual(["run.failed", "run.succeeded", "run.failed"]);
  });

  it("shapes the body for the slack and ntfy presets", async () => {
    const home = tempHome("channel-presets");
    const hook = await receiver();
    await startDaemon(home);
    await sundial(["channel", "add", "team", "--webhook", `${hook.url}/slack`, "--preset", "slack"], { home });
    await sundial(["channel", "add", "phone", "--webhook", `${hook.url}/ntfy`, "--preset", "ntfy"], { home });
    await sundial(["add", "report", "--every", "1h", "--channel", "team", "--channel", "phone", "--", "echo oops; exit 5"], { home });
    const run = await runToEnd(home, "report");
    const expected = buildRunNotification({ id: run.jobId, name: "report" }, run, "oops\n");

    const [slack] = await hook.waitForRequests(1, "/slack");
    expect(slack!.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(slack!.body)).toEqual({ text: `*report failed*\n${expected.message}` });

    const [ntfy] = await hook.waitForRequests(1, "/ntfy");
    expect(ntfy!.headers["content-type"]).toMatch(/^text\/plain/);
    expect(ntfy!.headers.title).toBe("report failed");
    expect(ntfy!.headers.priority).toBe("high");
    expect(ntfy!.body).toBe(expected.message);
  });
});

describe("command channels", () => {
  it("runs the command with the event's JSON on stdin, and `channel test` reports its exit code", async () => {
    const home = tempHome("channel-command");
    const folder = tempFolder("channel-command-out");
    const out = path.join(folder, "received.jsonl");
    await startDaemon(home);
    expect((await sundial(["channel", "add", "mail", "--command", `cat >> '${out}'; echo "$SUNDIAL_EVENT" >> '${out}.events'`], { home })).code).toBe(0);
    await sundial(["add", "sync", "--every", "1h", "--channel", "mail", "--", "echo half done; exit 7"], { home });
    const run = await runToEnd(home, "sync");
    await waitFor(() => fs.existsSync(`${out}.events`) && fs.readFileSync(`${out}.events`, "utf8").includes("run.failed"));
    const body = JSON.parse(fs.readFileSync(out, "utf8").trim());
    expect(body).toMatchObject({ event: "run.failed", job: { name: "sync" }, run: { id: run.id, exitCode: 7 }, logTail: "half done" });

    const test = await sundial(["channel", "test", "mail"], { home });
    expect(test.code).toBe(0);
    expect(test.stdout).toMatch(/^Delivered to channel "mail": exit code 0 \(\d+ ms\)\n$/);
    await sundial(["channel", "add", "broken", "--command", "echo no mail server >&2; exit 9"], { home });
    const broken = await sundial(["channel", "test", "broken"], { home });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('Not delivered to channel "broken": exit code 9: no mail server');
  });
});

describe("ping URLs", () => {
  it("pings URL/start then URL on success, URL/start then URL/fail on failure, in order, with the exit code in the final ping's body", async () => {
    const home = tempHome("ping-url");
    const pings = await receiver();
    await startDaemon(home);
    const base = `/ping/${TOKEN}`;
    await sundial(["add", "backup", "--every", "1h", "--ping-url", `${pings.url}${base}`, "--", "echo all good"], { home });
    const ok = await runToEnd(home, "backup");
    await sundial(["edit", "backup", "--", "echo broken pipe; exit 4"], { home });
    const bad = await runToEnd(home, "backup");

    const received = await pings.waitForRequests(4, base);
    expect(received.map((request) => `${request.method} ${request.path}`)).toEqual([`GET ${base}/start`, `POST ${base}`, `GET ${base}/start`, `POST ${base}/fail`]);
    expect(received[1]!.body).toContain("exit code: 0\nstatus: succeeded");
    expect(received[1]!.body).toContain(`run: ${ok.id}`);
    expect(received[1]!.body).toContain("all good");
    expect(received[3]!.body).toContain("exit code: 4\nstatus: failed");
    expect(received[3]!.body).toContain(`run: ${bad.id}`);
    expect(received[3]!.body).toContain("broken pipe");

    // Cleared: no more pings.
    await sundial(["edit", "backup", "--clear", "ping-url"], { home });
    expect((await sundialJson<JobView>(["show", "backup"], { home })).pingUrl).toBeUndefined();
  });
});

describe("a receiver that is down", () => {
  it("makes deliveries retry and the channel show as failing in status, while an every-second job keeps running on its slots; deliveries arrive once it is back", async () => {
    const home = tempHome("channel-down");
    const down = await new HttpReceiver().refuseConnections();
    receivers.push(down);
    const daemon = await startDaemon(home);
    await sundial(["channel", "add", "hook", "--webhook", `${down.url}/hook`], { home });
    await sundial(["add", "flaky", "--every", "1s", "--channel", "hook", "--", "exit 1"], { home });

    // Retries: more connection attempts than failed runs had deliveries to start with.
    await waitFor(() => down.refusedConnections >= 3, 30_000, "three delivery attempts");
    const status = await sundialJson<EngineStatus>(["status"], { home });
    const hook = status.channels.find((channel) => channel.name === "hook")!;
    expect(hook.health).toMatchObject({ state: "failing", lastError: "connection closed before an answer" });
    expect(hook.health.pending).toBeGreaterThan(0);
    const text = await sundial(["status"], { home });
    expect(text.stdout).toMatch(/channel "hook" \(webhook\): failing: connection closed before an answer \(.*\), \d+ waiting/);

    // The runs went on meanwhile, one per slot: none skipped or missed for waiting on a delivery.
    await waitFor(async () => (await sundialJson<Run[]>(["history", "flaky"], { home })).length >= 5, 30_000, "five runs");
    const runs = (await sundialJson<Run[]>(["history", "flaky"], { home })).filter((run) => run.status !== "running").reverse();
    expect(new Set(runs.map((run) => run.status))).toEqual(new Set(["failed"]));
    const slots = runs.map((run) => Date.parse(run.scheduledAt!));
    for (let index = 1; index < slots.length; index++) expect(slots[index]! - slots[index - 1]!).toBe(1000);

    // Back up: the waiting deliveries arrive (in order, oldest first) and the channel is ok again.
    await sundial(["pause", "flaky"], { home });
    await down.listen();
    const arrived = await down.waitForRequests(1, "/hook", 40_000);
    const firstRunId = (JSON.parse(arrived[0]!.body) as { run: { id: string } }).run.id;
    expect(firstRunId).toBe(runs[0]!.id);
    await waitFor(async () => (await sundialJson<EngineStatus>(["status"], { home })).channels.find((channel) => channel.name === "hook")!.health.state === "ok", 40_000, "hook ok");
    // The log says it was retried, never where to.
    expect(daemon.stderr()).toMatch(/channel "hook": run\.failed of "flaky" not delivered \(connection closed before an answer\); try 2 of 6/);
    expect(daemon.stderr()).not.toContain(down.url);
  });

  it("saves a webhook to a port nobody listens on, and `channel test` and status say it fails", async () => {
    const home = tempHome("channel-unreachable");
    const gone = await receiver();
    const url = `${gone.url}/hook`;
    await gone.close();
    await startDaemon(home);
    expect((await sundial(["channel", "add", "nowhere", "--webhook", url], { home })).code).toBe(0);
    const test = await sundial(["channel", "test", "nowhere"], { home });
    expect(test.code).toBe(1);
    expect(test.stderr).toMatch(/^Not delivered to channel "nowhere": connection refused/);
    const listed = await sundialJson<ChannelView[]>(["channel", "list"], { home });
    expect(listed.find((channel) => channel.name === "nowhere")!.health).toMatchObject({ state: "failing", lastError: "connection refused" });
  });
});

describe("secrets", () => {
  it("masks ping URLs, webhook URLs and commands in list, show, export and channel list; export --include-secrets has them; the daemon's log never does", async () => {
    const home = tempHome("channel-secrets");
    const hook = await receiver();
    const daemon = await startDaemon(home);
    const webhook = `${hook.url}/services/${TOKEN}`;
    const pingUrl = `${hook.url}/ping/${TOKEN}`;
    const command = `curl -fsS -d @- https://example.com/notify?token=${TOKEN}`;
    await sundial(["channel", "add", "hook", "--webhook", webhook], { home });
    await sundial(["channel", "add", "curl", "--command", command], { home });
    await sundial(["add", "backup", "--every", "1h", "--channel", "hook", "--ping-url", pingUrl, "--", "exit 1"], { home });
    await runToEnd(home, "backup");
    await hook.waitForRequests(3);

    const outputs = await Promise.all([
      sundial(["list", "--json"], { home }),
      sundial(["show", "backup"], { home }),
      sundial(["show", "backup", "--json"], { home }),
      sundial(["export"], { home }),
      sundial(["channel", "list"], { home }),
      sundial(["channel", "list", "--json"], { home }),
      sundial(["status", "--json"], { home }),
      sundial(["status"], { home }),
    ]);
    for (const output of outputs) {
      expect(output.code).toBe(0);
      expect(output.stdout).not.toContain(TOKEN);
    }
    expect(outputs[1]!.stdout).toMatch(new RegExp(`Ping URL:\\s+${hook.url.replaceAll(".", "\\.")}/••••1a2b`));
    expect(JSON.parse(outputs[2]!.stdout).pingUrl).toBe(`${hook.url}/••••1a2b`);
    expect(outputs[4]!.stdout).toContain(`${hook.url}/••••1a2b`);
    expect(outputs[4]!.stdout).toContain("curl ••••1a2b");
    expect(daemon.stderr()).not.toContain(TOKEN);
    for (const log of fs.readdirSync(path.join(home, "logs"))) expect(fs.readFileSync(path.join(home, "logs", log), "utf8")).not.toContain(TOKEN);
    expect(fs.statSync(path.join(home, "jobs.json")).mode & 0o777).toBe(0o600);

    const full = JSON.parse((await sundial(["export", "--include-secrets"], { home })).stdout);
    expect(full.jobs[0].pingUrl).toBe(pingUrl);
    expect(full.channels).toEqual([
      { name: "hook", type: "webhook", url: webhook, preset: "generic", events: ["failure", "alert", "recovery"] },
      { name: "curl", type: "command", command, events: ["failure", "alert", "recovery"] },
    ]);

    // A masked export cannot be imported as if it were real; one with secrets brings its channels along.
    const masked = path.join(tempFolder("masked-export"), "masked.json");
    fs.writeFileSync(masked, outputs[3]!.stdout);
    const withSecrets = path.join(tempFolder("full-export"), "full.json");
    fs.writeFileSync(withSecrets, JSON.stringify(full));
    const other = tempHome("channel-secrets-import");
    await startDaemon(other);
    const refused = await sundial(["import", masked], { home: other });
    expect(refused.code).toBe(BAD_INPUT);
    expect(refused.stderr).toContain('channel 1 "hook": url: is masked (••••)');
    expect(refused.stderr).toContain("Nothing was imported.");
    expect(await sundialJson<ChannelView[]>(["channel", "list"], { home: other })).toHaveLength(1);
    const imported = await sundial(["import", withSecrets], { home: other });
    expect(imported).toMatchObject({ code: 0, stdout: `Imported 1 job and 2 channels from ${withSecrets}\n` });
    expect(JSON.parse((await sundial(["export", "--include-secrets"], { home: other })).stdout).jobs[0]).toMatchObject({ channels: ["hook"], pingUrl });
  });
});

describe("bad input", () => {
  it("is refused naming the field, and changes nothing", async () => {
    const home = tempHome("channel-bad-input");
    const hook = await receiver();
    await startDaemon(home);
    await sundial(["channel", "add", "hook", "--webhook", `${hook.url}/hook`], { home });
    await sundial(["add", "uses-hook", "--every", "1h", "--channel", "hook", "--", "true"], { home });
    const channelsBefore = (await sundial(["channel", "list", "--json"], { home })).stdout;
    const jobsBefore = (await sundial(["list", "--json"], { home })).stdout;
    const jobsFile = fs.readFileSync(path.join(home, "jobs.json"), "utf8");

    const cases: [string[], string][] = [
      [["channel", "add", "ftp", "--webhook", "ftp://example.com/x"], "--webhook: must be an http:// or https:// URL, not ftp:"],
      [["channel", "add", "word", "--webhook", "not a url"], '--webhook: "not a url" is not a URL (give one starting with http:// or https://)'],
      [["channel", "add", "hook", "--webhook", `${hook.url}/again`], 'NAME: a channel named "hook" already exists'],
      [["channel", "add", "desktop", "--command", "cat"], 'NAME: "desktop" is the built-in desktop notification; choose another name'],
      [["channel", "add", "both", "--webhook", `${hook.url}/x`, "--command", "cat"], "--webhook: cannot be combined with --command"],
      [["channel", "add", "none"], "--webhook or --command: give one"],
      [["channel", "add", "evts", "--command", "cat", "--events", "failure,sometimes"], '--events: unknown "sometimes"'],
      [["channel", "add", "pre", "--webhook", `${hook.url}/x`, "--preset", "teams"], '--preset: "teams" is not one of generic, ntfy, slack'],
      [["channel", "remove", "hook"], 'NAME: channel "hook" is used by job "uses-hook"'],
      [["channel", "remove", "nope"], 'NAME: no channel named "nope" (channels: desktop, hook)'],
      [["channel", "test", "nope"], 'NAME: no channel named "nope"'],
      [["add", "job", "--every", "1h", "--channel", "nope", "--", "true"], '--channel: no channel named "nope" (channels: desktop, hook)'],
      [["add", "job", "--every", "1h", "--ping-url", "mailto:me@example.com", "--", "true"], "--ping-url: must be an http:// or https:// URL, not mailto:"],
      [["edit", "uses-hook", "--channel", "hook", "--channel", "hook"], '--channel: "hook" is given twice'],
      [["edit", "uses-hook", "--channel", "gone"], '--channel: no channel named "gone"'],
      [["edit", "uses-hook", "--clear", "ping-url", "--ping-url", `${hook.url}/p`], "--clear ping-url: cannot be combined with --ping-url"],
    ];
    for (const [args, line] of cases) {
      const result = await sundial(args, { home });
      expect(result.code, args.join(" ")).toBe(BAD_INPUT);
      expect(result.stderr, args.join(" ")).toContain(line);
    }
    expect((await sundial(["channel", "list", "--json"], { home })).stdout).toBe(channelsBefore);
    expect((await sundial(["list", "--json"], { home })).stdout).toBe(jobsBefore);
    expect(fs.readFileSync(path.join(home, "jobs.json"), "utf8")).toBe(jobsFile);
  });
});
