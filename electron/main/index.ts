/**
 * The desktop app's composition root: the engine (the same one `sundial daemon` hosts) wired
 * to Electron's tray, window, IPC, notifications, power events and login items. Every step
 * is a small module; the order below is the order things must happen in.
 */
import fs from "node:fs";
import { app, net, powerMonitor } from "electron";
import { PRODUCT_NAME } from "../core/home.js";
import { NodeNotifier } from "../core/notifier/node-notifier.js";
import type { SchedulerEvent } from "../shared/contract.js";
import { EngineLockedError, HomeNotPrivateError, StoreCorruptError, ValidationError } from "../shared/errors.js";
import { EXIT } from "../shared/exit-codes.js";
import { describeEvent } from "../daemon/event-log.js";
import { HIDDEN_FLAG, chooseHome, electronUserData, homeMismatch, startsHidden, type HomeChoice } from "./app-home.js";
import { appPaths } from "./app-paths.js";
import { createAutostart } from "./autostart.js";
import { askHowToQuit, showActionError, showStartupError } from "./dialogs.js";
import { engineLockedMessage, homeNotPrivateMessage, startEngineHost, type EngineHost } from "./engine-host.js";
import { registerIpcRoutes, sendEvent } from "./ipc-main.js";
import { createLog } from "./log.js";
import { wakeOnResume } from "./power.js";
import { ElectronSystemState } from "./electron-system-state.js";
import { registerAppScheme, serveAppProtocol } from "./protocol.js";
import { QuitFlow, waitForRunsToFinish } from "./quit-flow.js";
import { handleQuit } from "./quit.js";
import { notificationHash } from "./renderer-routes.js";
import { applySecurityRules, denyAllPermissions, enforceContentSecurityPolicy } from "./security.js";
import { createSenderCheck } from "./sender-check.js";
import { claimSingleInstance } from "./single-instance.js";
import { performTrayAction } from "./tray-actions.js";
import { UPCOMING_LINES, type TrayState } from "./tray-menu.js";
import { createTray } from "./tray.js";
import { configureAppShell, createWindowManager, type WindowManager } from "./window.js";

async function main(): Promise<void> {
  const log = createLog();

  // 1. Identity and home, before anything reads `userData`: the single-instance lock and
  //    Chromium's profile live there, so one home = one app instance.
  app.setName(PRODUCT_NAME);
  let choice: HomeChoice;
  try {
    choice = chooseHome(process.argv, process.env);
  } catch (error) {
    // `--home ""` or SUNDIAL_HOME="": never quietly the default home (showErrorBox works before `ready`).
    if (!(error instanceof ValidationError)) throw error;
    log(error.message);
    showStartupError("Sundial could not start", error.message);
    app.exit(EXIT.badInput);
    return;
  }
  const engineHome = choice.source === "default" ? electronUserData(app.getPath("appData")) : choice.home;
  if (choice.source === "default") {
    const mismatch = homeMismatch(engineHome);
    if (mismatch) log(mismatch);
  }
  // setPath refuses a folder that does not exist yet; the home is private (0700) like the daemon's.
  fs.mkdirSync(engineHome, { recursive: true, mode: 0o700 });
  app.setPath("userData", engineHome);
  // A login launch starts on the same home, and quietly (tray only).
  const loginArgs = [...(choice.source === "default" ? [] : ["--home", engineHome]), HIDDEN_FLAG];

  // 2. Single instance: a second launch opens the first one's window and exits.
  let windows: WindowManager | null = null;
  if (!claimSingleInstance(() => windows?.open())) {
    app.exit(0);
    return;
  }

  // 3. What must be set before `ready`.
  registerAppScheme();
  app.enableSandbox();
  applySecurityRules(log);
  await app.whenReady();

  // 4. The shell around no window yet.
  configureAppShell();
  denyAllPermissions();
  enforceContentSecurityPolicy();
  const paths = appPaths(app.getAppPath());
  serveAppProtocol(paths.renderer, log);

  // 5. The engine, behind the control socket (claimed first: it is the guard per home).
  const notifier = new NodeNotifier({ log, icon: paths.notificationIcon, appName: PRODUCT_NAME });
  // Start at login is the app's own setting: the engine offers it in Settings (UI and CLI).
  const autostart = createAutostart(loginArgs);
  let host: EngineHost;
  try {
    host = await startEngineHost({ home: engineHome, log, notifier, onEvent: logEvent, startAtLogin: autostart, systemState: new ElectronSystemState(powerMonitor, net) });
  } catch (error) {
    failStartup(error, engineHome, log);
    return;
  }
  const { engine } = host;
  log(`Sundial ${app.getVersion()} running on ${engineHome} (pid ${process.pid}); control socket ${host.socketPath}`);

  function logEvent(event: SchedulerEvent): void {
    const line = describeEvent(event);
    if (line) log(line);
  }

  // 6. The window, its IPC (sender-checked) and its live events.
  const openWindows = createWindowManager(paths, log);
  windows = openWindows;
  registerIpcRoutes(engine.service, createSenderCheck(() => openWindows.contents()), log);
  engine.subscribe((event) => {
    const contents = openWindows.contents();
    if (contents) sendEvent(contents, event);
  });

  // 7. Notifications: a click (macOS, Windows) opens the job the run belongs to.
  notifier.onClick((notification) => openWindows.open(notificationHash(notification)));

  // 8. Tray, rebuilt on engine events.
  let notice: string | undefined;
  const quitFlow = new QuitFlow({
    runningRuns: async () => (await engine.service.status()).runningRuns,
    ask: askHowToQuit,
    waitForRuns: (runIds, signal) =>
      waitForRunsToFinish(runIds, signal, engine.subscribe, async (runId) => (await engine.service.getRun(runId)).status === "running"),
    onWaiting: (runIds) => {
      notice = `Quitting when ${runIds.length === 1 ? "a run finishes" : `${runIds.length} runs finish`} (Quit again to stop now)`;
      tray.refresh();
    },
  });
  const readState = async (): Promise<TrayState> => {
    // The next runs of today and tomorrow (with a limit, only the jobs that run first are
    // expanded); with none, the header names the next job.
    const [jobs, status, agenda] = await Promise.all([engine.service.listJobs(), engine.service.status(), engine.service.agenda({ days: 2, limit: UPCOMING_LINES })]);
    const upcoming = agenda.days.flatMap((day) => day.runs);
    return { now: Date.now(), jobs, upcoming, allPaused: status.allPaused, pausedUntil: status.pausedUntil, openAtLogin: autostart.isEnabled(), notice };
  };
  const tray = createTray({
    iconFolder: paths.trayIcons,
    readState,
    log,
    onClick: () => openWindows.open(),
    dispatch: (action) =>
      void performTrayAction(action, {
        service: engine.service,
        now: Date.now,
        openWindow: (hash) => openWindows.open(hash),
        isOpenAtLogin: autostart.isEnabled,
        // Through the service, so every open face sees the change (settings.changed).
        setOpenAtLogin: async (enabled) => {
          await engine.service.updateSettings({ "start-at-login": enabled });
          tray.refresh();
        },
        quit: () => app.quit(),
        reportError: showActionError,
      }),
  });
  engine.subscribe((event) => {
    // Output lines change nothing the tray shows; skipping them keeps a chatty job cheap.
    if (event.type !== "run.output") tray.refresh();
  });

  // A launch by hand shows the window (a desktop without a tray area would show nothing
  // otherwise); a launch at login stays in the tray.
  if (!startsHidden(process.argv, wasOpenedAtLogin())) openWindows.open();

  // 9. After sleep or unlock, re-check due runs and apply catch-up.
  wakeOnResume(powerMonitor, () => engine.wake(), log);

  // 10. Quit: ask about runs in progress, then stop the engine (runs recorded) and exit.
  handleQuit({
    flow: quitFlow,
    log,
    stop: async () => {
      tray.dispose();
      openWindows.close();
      await host.stop();
    },
  });
}

/** macOS reports a login-item launch itself (login items take no arguments there). */
function wasOpenedAtLogin(): boolean {
  return process.platform === "darwin" && app.getLoginItemSettings().wasOpenedAtLogin === true;
}

function failStartup(error: unknown, home: string, log: (line: string) => void): void {
  if (error instanceof EngineLockedError) {
    const message = engineLockedMessage(error);
    log(message);
    showStartupError("Sundial is already running", message);
    app.exit(EXIT.locked);
    return;
  }
  if (error instanceof StoreCorruptError) {
    log(error.message);
    showStartupError("Sundial cannot read its jobs", error.message);
    app.exit(EXIT.storeCorrupt);
    return;
  }
  if (error instanceof HomeNotPrivateError) {
    log(error.message);
    showStartupError("Sundial's data folder is not private", homeNotPrivateMessage(error));
    app.exit(EXIT.homeNotPrivate);
    return;
  }
  const message = `Could not start on ${home}: ${error instanceof Error ? error.message : String(error)}`;
  log(message);
  showStartupError("Sundial could not start", message);
  app.exit(EXIT.failed);
}

main().catch((error: unknown) => {
  process.stderr.write(`Sundial failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  app.exit(EXIT.failed);
});
