// @vitest-environment jsdom
import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import JobDetail from "../../renderer/src/components/JobDetail.svelte";
import type { JobActions } from "../../renderer/src/lib/state/app.svelte.js";
import { fakeClient, makeJob, makeRun, settle } from "./support.js";

const noActions: JobActions = { onrun() {}, ontogglepause() {}, onedit() {}, onduplicate() {}, ondelete() {} };
const job = makeJob({ name: "backup" });
const NOW = Date.parse("2026-03-02T12:00:00Z");

async function renderDetail(runs = [makeRun({ id: "r1", jobId: job.id, status: "failed", exitCode: 3, reason: "manual" })], shown = job) {
  const client = fakeClient([shown]);
  client.history = vi.fn(async () => runs);
  client.runLog = vi.fn(async (runId: string) => ({ runId, text: `log of ${runId}\n`, truncated: false, running: runId === "live" }));
  client.cancelRun = vi.fn(async (runId: string) => makeRun({ id: runId, jobId: job.id, status: "cancelled" }));
  render(JobDetail, { props: { client, jobId: shown.id, job: shown, jobsLoaded: true, now: NOW, actions: noActions, jobName: (id) => (id === "job-backup" ? "backup" : undefined) } });
  await settle(10);
  await new Promise((resolve) => setTimeout(resolve, 0));
  return client;
}

describe("the job detail", () => {
  it("lists runs with status, reason, times, duration and exit code, and shows the newest run's log", async () => {
    await renderDetail();
    expect(screen.getByRole("heading", { name: "backup" })).toBeTruthy();
    const history = screen.getByRole("table", { name: "Run history" });
    expect(within(history).getAllByRole("columnheader").map((header) => header.textContent?.trim())).toEqual([
      "Status",
      "Reason",
      "Scheduled",
      "Started",
      "Duration",
      "Exit code",
      "Log",
    ]);
    const row = within(history).getAllByRole("row")[1]!;
    expect(within(row).getByText("Failed")).toBeTruthy();
    expect(within(row).getByText("Manual")).toBeTruthy();
    expect(within(row).getByText("3")).toBeTruthy();
    expect(within(row).getByText("1.2 s")).toBeTruthy();
    const log = screen.getByRole("region", { name: "Run log" });
    expect(within(log).getByText("log of r1")).toBeTruthy();
  });

  it("says why a broken job will not run (issue 10)", async () => {
    const broken = makeJob({ name: "far", nextRunAt: null, problem: "trigger.at: must lie between the years 1970 and 9999" });
    const client = fakeClient([broken]);
    client.history = vi.fn(async () => []);
    render(JobDetail, { props: { client, jobId: broken.id, job: broken, jobsLoaded: true, now: NOW, actions: noActions } });
    await settle(10);
    expect(screen.getByRole("alert").textContent).toBe("This job will not run: trigger.at: must lie between the years 1970 and 9999");
  });

  it("names the job's shell when it has one of its own, and no shell row otherwise", async () => {
    const bash = makeJob({ name: "bashed", shell: "/bin/bash" });
    const client = fakeClient([bash]);
    client.history = vi.fn(async () => []);
    const { unmount } = render(JobDetail, { props: { client, jobId: bash.id, job: bash, jobsLoaded: true, now: NOW, actions: noActions } });
    await settle(10);
    expect(screen.getByText("Shell").nextElementSibling!.textContent).toBe("/bin/bash");
    unmount();
    const plain = makeJob({ name: "plain" });
    render(JobDetail, { props: { client: fakeClient([plain]), jobId: plain.id, job: plain, jobsLoaded: true, now: NOW, actions: noActions } });
    await settle(10);
    expect(screen.queryByText("Shell")).toBeNull();
  });

  it("shows a job's next run in its own zone, named when it is not this computer's, as its schedule does", async () => {
    const paris = makeJob({
      name: "paris",
      trigger: { type: "cron", version: 1, expression: "30 8 * * *", timezone: "Europe/Paris" },
      nextRunAt: "2026-03-03T07:30:00.000Z",
    });
    const client = fakeClient([paris]);
    client.history = vi.fn(async () => []);
    render(JobDetail, { props: { client, jobId: paris.id, job: paris, jobsLoaded: true, now: NOW, actions: noActions } });
    await settle(10);
    const next = screen.getByText("Next run").nextElementSibling!;
    // 08:30 in Paris whatever this computer's zone; the test machine's zone is not Paris.
    expect(next.querySelector("time")!.textContent).toMatch(/08:30/);
    expect(next.textContent).toContain("Europe/Paris");
  });

  it("tails a running run live and cancels it", async () => {
    const client = await renderDetail([makeRun({ id: "live", jobId: job.id, status: "running", endedAt: null, durationMs: null, exitCode: null })]);
    client.emit({ type: "run.output", runId: "live", jobId: job.id, stream: "stdout", text: "more\n" });
    await settle();
    const log = screen.getByRole("region", { name: "Run log" });
    expect(log.querySelector("pre")?.textContent).toBe("log of live\nmore\n");

    await fireEvent.click(within(log).getByRole("button", { name: "Cancel run" }));
    await settle();
    expect(client.cancelRun).toHaveBeenCalledWith("live");
    expect(within(log).queryByRole("button", { name: "Cancel run" })).toBeNull();
  });

  it("shows another run's log when its Log button is pressed", async () => {
    await renderDetail([makeRun({ id: "r2", jobId: job.id }), makeRun({ id: "r1", jobId: job.id, status: "failed" })]);
    await fireEvent.click(screen.getByRole("button", { name: /Show log of the failed run/ }));
    await settle();
    expect(within(screen.getByRole("region", { name: "Run log" })).getByText("log of r1")).toBeTruthy();
  });

  it("words an event-only job's triggers and next run, its conditions and a waiting run, and why runs were skipped (issue 15)", async () => {
    const waitingRun = makeRun({ id: "r-wait", jobId: "job-upload", status: "waiting", error: "waiting: outside 09:00-17:00", startedAt: null, exitCode: null });
    const upload = makeJob({
      name: "upload",
      nextRunAt: null,
      triggers: [{ type: "after", version: 1, job: "job-backup", on: "success" }, { type: "watch", version: 1, path: "/srv/out", debounceSeconds: 2 }],
      conditions: { between: "09:00-17:00", days: ["mon", "tue", "wed", "thu", "fri"], acPower: true },
      whenUnmet: "wait",
      waitUpToSeconds: 7200,
      waiting: { run: waitingRun, until: "2026-03-02T19:00:00Z" },
      problem: "watched path missing: /srv/out",
    });
    const skippedRun = makeRun({ id: "r-skip", jobId: "job-upload", status: "skipped", error: "on battery", reason: "after", exitCode: null });
    await renderDetail([waitingRun, skippedRun], upload);
    const term = (name: string) => screen.getByText(name, { selector: "dt" }).nextElementSibling!.textContent?.replace(/\s+/g, " ").trim();
    // One trigger's problem: the job still runs on the others (and on this one once the path is back).
    expect(screen.getByRole("alert").textContent).toBe("watched path missing: /srv/out");
    expect(term("Schedule")).toBe("after backup succeeds, and on change in /srv/out");
    expect(term("Next run")).toBe("after backup or on change");
    expect(term("Conditions")).toBe("Runs only between 09:00-17:00, on Mon-Fri, on AC power, else wait up to 2 hours");
    expect(term("Waiting")).toMatch(/^⧗ A run waits: outside 09:00-17:00; skipped if still so at /);
    const history = screen.getByRole("table", { name: "Run history" });
    expect(within(history).getByText("Skipped: on battery")).toBeTruthy();
    expect(within(history).getByText("Waiting: outside 09:00-17:00")).toBeTruthy();
  });
});
