/**
 * A real freedesktop notification server for tests on machines without a display:
 * Xvfb on a free display, a private D-Bus session bus (dbus-launch), dbus-monitor logging
 * every org.freedesktop.Notifications call to a file, and dunst answering them. The `Notify`
 * calls in that log are the proof that a notification was shown.
 *
 * Needs the Debian packages xvfb, dbus-x11, libnotify-bin and dunst (DESIGN.md, "Testing on
 * machines without a display"). A missing binary is an error, never a skip.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { accessSync, constants, openSync, closeSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { tempFolder } from "./temp-folders.mjs";

const execFileAsync = promisify(execFile);

/** Every program the recipe needs, with the package that provides it. */
const REQUIRED_PROGRAMS: ReadonlyArray<[program: string, debianPackage: string]> = [
  ["Xvfb", "xvfb"],
  ["dbus-launch", "dbus-x11"],
  ["dbus-monitor", "dbus-bin"],
  ["dbus-send", "dbus-bin"],
  ["dunst", "dunst"],
  ["notify-send", "libnotify-bin"],
];

/** One `Notify` method call seen on the bus. */
export interface NotifyCall {
  appName: string;
  summary: string;
  body: string;
  /** The call as dbus-monitor printed it. */
  raw: string;
}

export class NotificationServerError extends Error {
  override name = "NotificationServerError";
}

export interface NotificationServer {
  /** `:N` of the Xvfb display. */
  readonly display: string;
  readonly dbusAddress: string;
  /** DISPLAY and DBUS_SESSION_BUS_ADDRESS, for whatever spawns notify-send. */
  readonly env: { DISPLAY: string; DBUS_SESSION_BUS_ADDRESS: string };
  /** Everything dbus-monitor has logged so far. */
  monitorLog(): string;
  /** The Notify calls logged so far, oldest first. */
  notifyCalls(): NotifyCall[];
  /** Waits for a Notify call that satisfies `predicate`. */
  waitForNotify(predicate: (call: NotifyCall) => boolean, timeoutMs?: number): Promise<NotifyCall>;
  /** Stops dunst, the monitor, the bus and Xvfb, and removes the temp folder. */
  stop(): Promise<void>;
}

/** Throws a NotificationServerError naming every missing program and its package. */
export function requireNotificationPrograms(): void {
  const dirs = (process.env.PATH ?? "").split(path.delimiter).filter(Boolean);
  const missing = REQUIRED_PROGRAMS.filter(([program]) => !dirs.some((dir) => isExecutable(path.join(dir, program))));
  if (missing.length === 0) return;
  const list = missing.map(([program, pkg]) => `${program} (package ${pkg})`).join(", ");
  throw new NotificationServerError(
    `The notification tests need a real notification server, but these programs are not on PATH: ${list}. ` +
      `Install them: apt-get install xvfb dbus-x11 libnotify-bin dunst`,
  );
}

export async function startNotificationServer(): Promise<NotificationServer> {
  requireNotificationPrograms();
  const dir = tempFolder("notify");
  const children: ChildProcess[] = [];
  let busPid: number | null = null;

  const stop = async (): Promise<void> => {
    // Reverse order: the clients first, then the bus they talk over, then the display.
    for (const child of children.reverse()) await stopChild(child);
    if (busPid !== null) killQuietly(busPid);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const { child: xvfb, display } = await startXvfb(dir);
    children.push(xvfb);
    const baseEnv = { ...process.env, DISPLAY: display, XDG_CONFIG_HOME: dir, XDG_RUNTIME_DIR: dir };

    const { stdout } = await execFileAsync("dbus-launch", ["--sh-syntax"], { env: baseEnv, timeout: 10_000 });
    const dbusAddress = /DBUS_SESSION_BUS_ADDRESS='([^']+)'/.exec(stdout)?.[1];
    const pidText = /DBUS_SESSION_BUS_PID=(\d+)/.exec(stdout)?.[1];
    if (!dbusAddress || !pidText) throw new NotificationServerError(`could not read dbus-launch's output: ${stdout}`);
    busPid = Number(pidText);
    const env = { ...baseEnv, DBUS_SESSION_BUS_ADDRESS: dbusAddress };

    const logFile = path.join(dir, "monitor.log");
    const logFd = openSync(logFile, "w");
    const monitor = spawn("dbus-monitor", ["--session", "interface='org.freedesktop.Notifications'"], {
      env,
      stdio: ["ignore", logFd, logFd],
    });
    closeSync(logFd);
    children.push(monitor);
    const readLog = (): string => readFileSync(logFile, "utf8");
    // The monitor is attached once the bus has greeted it; a Notify before that would be lost.
    await until(() => readLog().includes("NameAcquired"), "dbus-monitor to attach to the bus", 10_000, monitor);

    const dunst = spawn("dunst", [], { env, stdio: ["ignore", "ignore", "pipe"] });
    let dunstErrors = "";
    dunst.stderr?.on("data", (chunk: Buffer) => (dunstErrors += chunk.toString()));
    children.push(dunst);
    await untilAsync(async () => hasNotificationsOwner(env), `dunst to own org.freedesktop.Notifications (${dunstErrors})`, 10_000, dunst);

    const notifyCalls = (): NotifyCall[] => parseNotifyCalls(readLog());
    return {
      display,
      dbusAddress,
      env: { DISPLAY: display, DBUS_SESSION_BUS_ADDRESS: dbusAddress },
      monitorLog: readLog,
      notifyCalls,
      async waitForNotify(predicate, timeoutMs = 10_000) {
        let found: NotifyCall | undefined;
        await until(() => (found = notifyCalls().find(predicate)) !== undefined, "a matching Notify call", timeoutMs);
        return found!;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Xvfb picks a free display itself and writes its number to the given fd (-displayfd). */
async function startXvfb(dir: string): Promise<{ child: ChildProcess; display: string }> {
  const child = spawn("Xvfb", ["-displayfd", "1", "-nolisten", "tcp", "-screen", "0", "1024x768x24"], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    await until(() => /^\d+\n/.test(stdout), "Xvfb to report its display", 10_000, child);
  } catch (error) {
    await stopChild(child);
    throw new NotificationServerError(`${(error as Error).message}; Xvfb said: ${stderr.trim()}`);
  }
  return { child, display: `:${stdout.trim()}` };
}

async function hasNotificationsOwner(env: NodeJS.ProcessEnv): Promise<boolean> {
  try {
    const { stdout } = await execFileAsync(
      "dbus-send",
      ["--session", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner", "string:org.freedesktop.Notifications"],
      { env, timeout: 2_000 },
    );
    return /boolean true/.test(stdout);
  } catch {
    return false;
  }
}

/**
 * Splits dbus-monitor's log into messages and reads the Notify calls' arguments
 * (app_name, replaces_id, app_icon, summary, body, …). A string argument may span lines:
 * dbus-monitor prints newlines in a body as they are, unindented.
 */
export function parseNotifyCalls(log: string): NotifyCall[] {
  const messages = log.split(/\n(?=(?:method call|method return|signal|error) time=)/);
  const calls: NotifyCall[] = [];
  for (const message of messages) {
    if (!/^method call .*member=Notify$/m.test(message.split("\n")[0] ?? "")) continue;
    // Top-level arguments are indented by exactly three spaces; nested ones by more.
    const args = message.split(/\n {3}(?=\S)/).slice(1);
    const strings = args.filter((arg) => arg.startsWith('string "')).map((arg) => arg.slice('string "'.length).replace(/"\s*$/, ""));
    calls.push({ appName: strings[0] ?? "", summary: strings[2] ?? "", body: strings[3] ?? "", raw: message });
  }
  return calls;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
  await exited;
  clearTimeout(timer);
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    // Already gone (it exits with the display it watches).
  }
}

async function until(predicate: () => boolean, what: string, timeoutMs: number, watched?: ChildProcess): Promise<void> {
  await untilAsync(async () => predicate(), what, timeoutMs, watched);
}

async function untilAsync(predicate: () => Promise<boolean>, what: string, timeoutMs: number, watched?: ChildProcess): Promise<void> {
  const giveUp = Date.now() + timeoutMs;
  for (;;) {
    if (await predicate()) return;
    if (watched && (watched.exitCode !== null || watched.signalCode !== null)) {
      throw new NotificationServerError(`gave up waiting for ${what}: ${String(watched.spawnfile)} exited (${watched.exitCode ?? watched.signalCode})`);
    }
    if (Date.now() > giveUp) throw new NotificationServerError(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
