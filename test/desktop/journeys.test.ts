/**
 * The desktop app's journeys (issue 14), written once against a driver and run on every
 * runtime there is: the Electron double here (the built main process unmodified, a real
 * Chromium window, the real preload), real Electron where its binary is installed. Each
 * journey starts the app as a user would, on its own temp home, and drives it through the
 * window, the tray, dialogs, power events and the `sundial` CLI (which the app serves).
 */
import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { homePaths } from "../../electron/core/home.js";
import { EXIT } from "../../electron/shared/exit-codes.js";
import { buildLinuxDir } from "../main/packaged-app.js";
import { buildPreloadIntoDist } from "../main/preload-build.js";
import { ensureBuilt, removeTempHomes, sleep, startDaemon, stopAllDaemons, sundial, sundialJson, tempHome, waitFor } from "../support/cli.js";
import { startNotificationServer } from "../support/notification-server.js";
import { ensureRendererBuilt } from "../support/web-ui.js";
import { tempFolder } from "../support/temp-folders.mjs";
import { jobRow } from "../support/ui-session.js";
import { doubleDriver } from "./double-driver.js";
import { jobItemLabel, type DesktopApp, type DesktopDriver, type TrayView } from "./driver.js";
import { electronDriver } from "./electron-driver.js";

interface RunRecord {
  id: string;
  status: string;
  reason: string;
}

const JOURNEY_TIMEOUT = 120_000;

/** A home path that does not exist yet: the app creates it (0700). */
function freshHome(label: string): string {
  return path.join(tempHome(label), "Sundial");
}

/** Lines the double logs when the page had a script error, a CSP violation or no preload. */
function rendererProblems(app: DesktopApp): string[] {
  return app.log().split("\n").filter((line) => /electron double: (renderer (error|console error)|Unable to load preload)/.test(line));
}

/** Waits for `what` in the window; a failure says what the renderer reported (no preload, a CSP violation). */
async function appears(app: DesktopApp, locator: ReturnType<Page["getByRole"]>): Promise<void> {
  try {
    await locator.first().waitFor({ timeout: 20_000 });
  } catch (error) {
    throw new Error(`${(error as Error).message.split("\n")[0]}\nrenderer problems: ${JSON.stringify(rendererProblems(app))}`, { cause: error });
  }
}

async function trayWhen(app: DesktopApp, predicate: (tray: TrayView) => boolean, what: string): Promise<TrayView> {
  return waitFor(async () => {
    const tray = await app.tray();
    return tray && predicate(tray) ? tray : null;
  }, 20_000, what);
}

/** Waits until the tray shows the engine's state (the app has started). */
async function trayReady(app: DesktopApp): Promise<TrayView> {
  return trayWhen(app, (shown) => shown.toolTip !== "Sundial", "the tray to show the engine's state");
}

async function quitFromTray(app: DesktopApp): Promise<number | null> {
  await app.clickTray("Quit");
  return app.exited;
}

for (const driver of [doubleDriver(), electronDriver()] satisfies DesktopDriver[]) {
  describe.skipIf(driver.skipReason !== null)(`the desktop app on ${driver.name}${driver.skipReason ? ` (skipped: ${driver.skipReason})` : ""}`, () => {
    const launched: DesktopApp[] = [];
    async function launch(options: Parameters<DesktopDriver["launch"]>[0]): Promise<DesktopApp> {
      const app = await driver.launch(options);
      launched.push(app);
      return app;
    }

    beforeAll(async () => {
      await ensureBuilt();
      buildPreloadIntoDist();
      await ensureRendererBuilt();
      await driver.start();
    }, 300_000);

    afterAll(async () => {
      await Promise.all(launched.map((app) => app.kill()));
      await driver.stop();
      await stopAllDaemons();
      removeTempHomes();
    });

    it("1. a first launch by hand creates a private home, opens the jobs page and says Nothing scheduled in the tray; a login launch stays in the tray", async () => {
      const home = freshHome("desktop-first");
      const app = await launch({ home });
      const page = await app.window();
      await appears(app, page.getByRole("button", { name: "New job", exact: true }));
      if (process.platform !== "win32") expect((fs.statSync(home).mode & 0o777).toString(8)).toBe("700");
      const [window] = await app.windows();
      expect(window).toMatchObject({ visible: true, url: "sundial://app/index.html" });
      const tray = await trayReady(app);
      expect(tray.toolTip).toBe("Sundial — Nothing scheduled");
      expect(tray.menu[0]).toMatchObject({ label: "Nothing scheduled", enabled: false });
      expect(tray.imageEmpty).toBe(false);
      expect(rendererProblems(app)).toEqual([]);
      expect(await quitFromTray(app)).toBe(0);
      expect(fs.existsSync(homePaths(home).socket)).toBe(false);

      const atLogin = await launch({ home, args: ["--hidden"] });
      await trayWhen(atLogin, (shown) => shown.toolTip === "Sundial — Nothing scheduled", "the login launch's tray");
      expect(await atLogin.windows()).toEqual([]);
      expect(await quitFromTray(atLogin)).toBe(0);
    }, JOURNEY_TIMEOUT);

    it("2. a job created in the window runs on schedule, shows in the tray with its next run, and Run now from the tray appears live in the window", async () => {
      const home = freshHome("desktop-create");
      const app = await launch({ home });
      const page = await app.window();
      await createJobInWindow(page, { name: "tick", every: "2s", command: "echo tick" });
      await jobRow(page, "tick").waitFor();

      // On schedule: the app's engine runs it (the CLI asks the app over its control socket).
      await waitFor(async () => (await sundialJson<RunRecord[]>(["history", "tick"], { home })).some((run) => run.reason === "schedule" && run.status === "succeeded"), 30_000, "a scheduled run of tick");
      const tray = await trayWhen(app, (shown) => jobItemLabel(shown, "tick") !== undefined, "tick in the tray menu");
      const item = tray.menu.find((entry) => entry.label === jobItemLabel(tray, "tick"))!;
      expect(item.submenu![0]!.label).toMatch(/^Next: /);
      expect(tray.toolTip).toMatch(/^Sundial — Next: tick /);

      // Run now from the tray, watched on the job's page: a Manual run appears without a reload.
      await page.getByRole("link", { name: "tick", exact: true }).click();
      const history = page.getByRole("table", { name: "Run history" });
      await history.waitFor();
      expect(await history.getByRole("cell", { name: "Manual" }).count()).toBe(0);
      await app.clickTray(jobItemLabel(tray, "tick")!, "Run now");
      await history.getByRole("cell", { name: "Manual" }).first().waitFor({ timeout: 20_000 });
      expect((await sundialJson<RunRecord[]>(["history", "tick"], { home })).some((run) => run.reason === "manual")).toBe(true);

      // The sender check: a frame other than the window's own page is refused.
      if (driver.canInvokeFromSubframe) {
        const refused = await app.invokeFromSubframe("sundial:listJobs");
        expect(refused.ok).toBe(false);
        expect(refused.error).toMatch(/Refused sundial:listJobs from about:blank/);
      }
      expect(rendererProblems(app)).toEqual([]);
      expect(await quitFromTray(app)).toBe(0);
    }, JOURNEY_TIMEOUT);

    // The notification server (Xvfb, D-Bus, dunst) is Linux's.
    it.runIf(process.platform === "linux")("3. a failing job shows a real OS notification and turns the tray icon to failed", async () => {
      const server = await startNotificationServer();
      try {
        const home = freshHome("desktop-notify");
        const app = await launch({ home, args: ["--hidden"], env: server.env });
        await trayReady(app);
        await sundialJson(["add", "broken", "--every", "1h", "--", "echo 'disk full' >&2; exit 3"], { home });
        const idle = await app.tray();
        expect(path.basename(idle!.image)).toMatch(/^tray-idle-/);
        expect((await sundial(["run", "broken"], { home })).code).toBe(0);
        const call = await server.waitForNotify((notify) => notify.summary.includes("broken"), 30_000);
        expect(call.appName).toBe("Sundial");
        expect(call.summary).toBe("broken failed");
        expect(call.body).toMatch(/^Exit code 3 after /);
        const failed = await trayWhen(app, (shown) => path.basename(shown.image).startsWith("tray-failed-"), "the failed tray icon");
        expect(failed.imageEmpty).toBe(false);
        expect(failed.toolTip).toContain("1 failed");
        expect(await quitFromTray(app)).toBe(0);
      } finally {
        await server.stop();
      }
    }, JOURNEY_TIMEOUT);

    it("4. Pause all for 1 hour from the tray shows in the tray menu and in the window", async () => {
      const home = freshHome("desktop-pause");
      const app = await launch({ home });
      const page = await app.window();
      await createJobInWindow(page, { name: "hourly", every: "1h", command: "echo hourly" });
      const before = await trayWhen(app, (shown) => jobItemLabel(shown, "hourly") !== undefined, "hourly in the tray");
      expect(before.menu.some((entry) => entry.label === "Pause all for 1 hour" && entry.enabled)).toBe(true);
      await page.getByRole("button", { name: "Pause all", exact: true }).waitFor();

      await app.clickTray("Pause all for 1 hour");
      const paused = await trayWhen(app, (shown) => shown.menu[0]!.label.startsWith("All paused until "), "the tray to say All paused");
      expect(paused.menu.some((entry) => entry.label === "Resume all")).toBe(true);
      await page.getByRole("button", { name: "Resume all", exact: true }).waitFor({ timeout: 15_000 });
      const status = await sundialJson<{ allPaused: boolean; pausedUntil: string }>(["status"], { home });
      expect(status.allPaused).toBe(true);
      expect(Date.parse(status.pausedUntil) - Date.now()).toBeGreaterThan(55 * 60_000);
      expect(await quitFromTray(app)).toBe(0);
    }, JOURNEY_TIMEOUT);

    // SIGSTOP stands in for the sleep: not on Windows.
    it.skipIf(process.platform === "win32")("5. resume after a sleep re-checks the schedule: the missed slots are caught up once", async () => {
      const home = freshHome("desktop-sleep");
      const app = await launch({ home, args: ["--hidden"] });
      await trayReady(app);
      await sundialJson(["add", "pulse", "--every", "3s", "--", "echo pulse"], { home });
      await waitFor(async () => (await sundialJson<RunRecord[]>(["history", "pulse"], { home })).some((run) => run.status === "succeeded"), 30_000, "pulse to run");
      // The sleep: the whole app stopped for longer than three slots and the on-time tolerance.
      process.kill(app.pid, "SIGSTOP");
      await sleep(11_000);
      process.kill(app.pid, "SIGCONT");
      await app.emitPower("resume");
      await waitFor(() => app.log().includes("resumed from sleep: re-checking due runs"), 15_000, "the app to re-check on resume");
      const caughtUp = await waitFor(async () => {
        const runs = await sundialJson<RunRecord[]>(["history", "pulse"], { home });
        return runs.some((run) => run.reason === "catch-up" && run.status !== "running") ? runs : null;
      }, 30_000, "the catch-up run");
      // Once: one run for the missed slots (catch-up "once", the default), the rest recorded missed.
      expect(caughtUp.filter((run) => run.reason === "catch-up")).toHaveLength(1);
      expect(caughtUp.some((run) => run.status === "missed")).toBe(true);
      expect(app.log()).toMatch(/"pulse" missed \d+ run\(s\); catch-up once: running 1/);
      expect(await quitFromTray(app)).toBe(0);
    }, JOURNEY_TIMEOUT);

    it("5b. an unlocked screen (powerMonitor) runs the wake-triggered job once, with reason wake; the startup job ran at launch (issue 15)", async () => {
      const home = freshHome("desktop-wake");
      let app = await launch({ home, args: ["--hidden"] });
      await trayReady(app);
      await sundialJson(["add", "reconnect", "--on", "wake", "--", "echo woke"], { home });
      await sundialJson(["add", "at-login", "--on", "startup", "--", "echo started"], { home });
      await app.emitPower("unlock-screen");
      const woke = await waitFor(async () => (await sundialJson<RunRecord[]>(["history", "reconnect"], { home })).find((run) => run.status === "succeeded"), 30_000, "the wake run");
      expect(woke.reason).toBe("wake");
      // The resume that comes with the unlock is the same wake: said once.
      await app.emitPower("resume");
      await waitFor(() => app.log().includes("resumed from sleep: re-checking due runs"), 15_000, "the app to hear the resume");
      expect(await quitFromTray(app)).toBe(0);

      app = await launch({ home, args: ["--hidden"] });
      await trayReady(app);
      const started = await waitFor(async () => (await sundialJson<RunRecord[]>(["history", "at-login"], { home })).find((run) => run.status === "succeeded"), 30_000, "the startup run");
      expect(started.reason).toBe("startup");
      expect((await sundialJson<RunRecord[]>(["history", "reconnect"], { home })).map((run) => run.reason)).toEqual(["wake"]);
      expect(await quitFromTray(app)).toBe(0);
    }, JOURNEY_TIMEOUT);

    it("5c. on battery (powerMonitor), an --ac-power job's run waits, visibly, and starts when the charger is plugged in (issue 15)", async () => {
      const home = freshHome("desktop-power");
      const app = await launch({ home, args: ["--hidden"] });
      await trayReady(app);
      await app.setOnBattery(true);
      const soon = new Date(Date.now() + 2_000).toISOString();
      await sundialJson(["add", "backup", "--at", soon, "--ac-power", "--if-unmet", "wait", "--", "echo plugged"], { home });
      const waiting = await waitFor(async () => (await sundialJson<(RunRecord & { error: string | null })[]>(["history", "backup"], { home })).find((run) => run.status === "waiting"), 30_000, "the waiting run");
      expect(waiting.error).toBe("waiting: on battery");
      await app.setOnBattery(false);
      const ran = await waitFor(async () => (await sundialJson<RunRecord[]>(["history", "backup"], { home })).find((run) => run.status === "succeeded"), 30_000, "the run once plugged in");
      expect(ran.id).toBe(waiting.id);
      expect(await quitFromTray(app)).toBe(0);
    }, JOURNEY_TIMEOUT);

    it("6. a second launch focuses the first instance's window and exits 0", async () => {
      const home = freshHome("desktop-second");
      const first = await launch({ home });
      await first.window();
      await first.blurWindows();
      expect((await first.windows())[0]!.focused).toBe(false);
      const second = await launch({ home });
      expect(await second.exited).toBe(0);
      await waitFor(async () => (await first.windows())[0]?.focused, 15_000, "the first window to be focused");
      expect(await first.windows()).toHaveLength(1);
      expect(await quitFromTray(first)).toBe(0);
    }, JOURNEY_TIMEOUT);

    it("7. quitting with a run in progress asks; Wait lets it finish, Stop records it interrupted; the engine stops and the socket is gone", async () => {
      const home = freshHome("desktop-quit");
      const app = await launch({ home, args: ["--hidden"] });
      await trayReady(app);
      await sundialJson(["add", "short", "--every", "1h", "--", "sleep 2; echo done"], { home });
      await sundialJson(["add", "long", "--every", "1h", "--", "sleep 60"], { home });

      // Wait for runs: the run finishes, then the app exits 0.
      expect((await sundial(["run", "short"], { home })).code).toBe(0);
      await trayWhen(app, (shown) => shown.menu.some((entry) => entry.label.startsWith("Running: short")), "short to run");
      await app.clickTray("Quit");
      await waitFor(async () => (await app.dialogs()).shown.length > 0, 15_000, "the quit dialog");
      const [asked] = (await app.dialogs()).shown;
      expect(asked).toMatchObject({ message: "1 run is in progress: short", buttons: ["Wait for runs", "Stop runs", "Cancel"] });
      await app.answerDialog("Wait for runs");
      expect(await app.exited).toBe(0);
      expect(fs.existsSync(homePaths(home).socket)).toBe(false);

      const again = await launch({ home, args: ["--hidden"] });
      await trayReady(again);
      const shortRuns = await sundialJson<RunRecord[]>(["history", "short"], { home });
      expect(shortRuns.map((run) => run.status)).toEqual(["succeeded"]);

      // Stop runs: the run is ended and recorded as interrupted.
      expect((await sundial(["run", "long"], { home })).code).toBe(0);
      await trayWhen(again, (shown) => shown.menu.some((entry) => entry.label.startsWith("Running: long")), "long to run");
      await again.clickTray("Quit");
      await waitFor(async () => (await again.dialogs()).shown.length > 0, 15_000, "the quit dialog");
      await again.answerDialog("Stop runs");
      expect(await again.exited).toBe(0);
      expect(fs.existsSync(homePaths(home).socket)).toBe(false);
      expect(again.log()).toMatch(/quit: stopping/);

      const last = await launch({ home, args: ["--hidden"] });
      await trayReady(last);
      const longRuns = await sundialJson<RunRecord[]>(["history", "long"], { home });
      expect(longRuns.map((run) => run.status)).toEqual(["interrupted"]);
      expect(await quitFromTray(last)).toBe(0);
    }, JOURNEY_TIMEOUT);

    it("8. while `sundial daemon` owns the home, the app says it is already running and exits 3", async () => {
      const home = tempHome("desktop-daemon");
      const daemon = await startDaemon(home);
      const app = await launch({ home });
      expect(await app.exited).toBe(EXIT.locked);
      const { errorBoxes } = await app.dialogs();
      expect(errorBoxes).toHaveLength(1);
      expect(errorBoxes[0]!.title).toBe("Sundial is already running");
      expect(errorBoxes[0]!.content).toContain("quit the daemon first");
      expect(await daemon.stop()).toBe(0);
    }, JOURNEY_TIMEOUT);

    // The offline build is electron-builder's Linux `dir` target.
    it.runIf(process.platform === "linux")("9. the packaged app (electron-builder --linux dir, offline) runs from app.asar: the window, its preload, the tray icons and the unpacked notification icon are found", async () => {
      const { appOut } = await buildLinuxDir(tempFolder("desktop-pack"));
      const archive = path.join(appOut, "resources", "app.asar");
      const server = await startNotificationServer();
      try {
        const home = freshHome("desktop-packaged");
        const app = await launch({ home, appDir: archive, env: server.env });
        const page = await app.window();
        // A job added from the CLI appears in the window: the renderer and the preload's bridge work.
        await sundialJson(["add", "packed", "--every", "1h", "--", "exit 4"], { home });
        await appears(app, page.getByRole("link", { name: "packed", exact: true }));
        const tray = await trayWhen(app, (shown) => jobItemLabel(shown, "packed") !== undefined, "packed in the tray");
        expect(tray.imageEmpty).toBe(false);
        expect(tray.image.split(path.sep).join("/")).toMatch(/\/resources\/app\.asar\/build\/tray\/tray-idle-dark\.png$/);
        // node-notifier runs notify-send, another process: the icon must be a real file.
        expect((await sundial(["run", "packed"], { home })).code).toBe(0);
        const call = await server.waitForNotify((notify) => notify.summary === "packed failed", 30_000);
        expect(call.raw).toContain("resources/app.asar.unpacked/build/icons/256x256.png");
        expect(rendererProblems(app)).toEqual([]);
        expect(await quitFromTray(app)).toBe(0);
      } finally {
        await server.stop();
      }
    }, 300_000);
  });
}

/** Fills the New job form in the window, as a user does, and saves. */
async function createJobInWindow(page: Page, job: { name: string; every: string; command: string }): Promise<void> {
  await page.getByRole("button", { name: "New job", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "New job" });
  await dialog.waitFor();
  await dialog.getByLabel("Name", { exact: true }).fill(job.name);
  await dialog.getByLabel("Kind", { exact: true }).selectOption("interval");
  await dialog.getByLabel("Every", { exact: true }).fill(job.every);
  await dialog.getByLabel("Command", { exact: true }).fill(job.command);
  const save = dialog.getByRole("button", { name: "Save" });
  await expect.poll(() => save.isEnabled()).toBe(true);
  await save.click();
  await dialog.waitFor({ state: "detached" });
  await jobRow(page, job.name).waitFor();
}
