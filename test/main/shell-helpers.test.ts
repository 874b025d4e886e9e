import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { HIDDEN_FLAG, chooseHome, electronUserData, homeFlag, homeMismatch, startsHidden } from "../../electron/main/app-home.js";
import { appPaths, unpackedPath } from "../../electron/main/app-paths.js";
import { debounce } from "../../electron/main/debounce.js";
import { wakeOnResume } from "../../electron/main/power.js";
import { notificationHash } from "../../electron/main/renderer-routes.js";
import { allTrayIconFiles, trayIconFile } from "../../electron/main/tray-icons.js";
import { defaultHome } from "../../electron/core/home.js";

const root = path.resolve(import.meta.dirname, "..", "..");

describe("the app's home folder", () => {
  it("is Electron's userData for Sundial, which is the CLI's default home", () => {
    const env = { XDG_CONFIG_HOME: "/home/ann/.config" };
    // Electron's appData on Linux is $XDG_CONFIG_HOME (else ~/.config); userData appends the app name.
    expect(electronUserData(env.XDG_CONFIG_HOME)).toBe(defaultHome(env, "linux"));
    expect(homeMismatch(electronUserData(env.XDG_CONFIG_HOME), env, "linux")).toBeNull();
    expect(homeMismatch("/elsewhere/Sundial", env, "linux")).toMatch(/differs from the CLI's default \/home\/ann\/.config\/Sundial/);
    expect(chooseHome(["/opt/Sundial/sundial"], env)).toEqual({ home: "/home/ann/.config/Sundial", source: "default" });
  });

  it("follows --home, then SUNDIAL_HOME, like the CLI", () => {
    expect(homeFlag(["electron", ".", "--home", "/tmp/h1"])).toBe("/tmp/h1");
    expect(homeFlag(["sundial", "--home=/tmp/h2"])).toBe("/tmp/h2");
    expect(homeFlag(["sundial", "--home"])).toBeUndefined();
    expect(chooseHome(["sundial", "--home", "/tmp/h1"], { SUNDIAL_HOME: "/tmp/h3" })).toEqual({ home: "/tmp/h1", source: "--home" });
    expect(chooseHome(["sundial"], { SUNDIAL_HOME: "/tmp/h3" })).toEqual({ home: "/tmp/h3", source: "SUNDIAL_HOME" });
    expect(path.isAbsolute(chooseHome(["sundial", "--home", "rel"], {}).home)).toBe(true);
  });

  it("refuses an explicitly empty --home or SUNDIAL_HOME instead of using the default home", () => {
    expect(() => chooseHome(["sundial", "--home", ""], {})).toThrow("--home: must not be empty");
    expect(() => chooseHome(["sundial", "--home="], {})).toThrow("--home: must not be empty");
    expect(() => chooseHome(["sundial"], { SUNDIAL_HOME: "" })).toThrow("SUNDIAL_HOME: must not be empty");
  });

  it("starts hidden when launched at login", () => {
    expect(startsHidden(["sundial", HIDDEN_FLAG])).toBe(true);
    expect(startsHidden(["sundial"], true)).toBe(true);
    expect(startsHidden(["sundial"])).toBe(false);
  });
});

describe("files the shell loads", () => {
  it("come from the app root; the notification icon from app.asar.unpacked", () => {
    const paths = appPaths("/opt/Sundial/resources/app.asar");
    expect(paths.renderer).toBe("/opt/Sundial/resources/app.asar/renderer/dist");
    expect(paths.preload).toBe("/opt/Sundial/resources/app.asar/dist/electron/preload/index.cjs");
    expect(paths.notificationIcon).toBe("/opt/Sundial/resources/app.asar.unpacked/build/icons/256x256.png");
    expect(unpackedPath("/repo/build/icons/256x256.png")).toBe("/repo/build/icons/256x256.png");
  });

  it("include every tray icon the tray may ask for, committed in build/tray", () => {
    expect(trayIconFile("failed", "darwin", true)).toBe("trayFailedTemplate.png");
    expect(trayIconFile("running", "linux", true)).toBe("tray-running-dark.png");
    expect(trayIconFile("idle", "win32", false)).toBe("tray-idle-light.png");
    for (const file of allTrayIconFiles()) {
      const bytes = fs.readFileSync(path.join(root, "build", "tray", file));
      expect(bytes.subarray(1, 4).toString("ascii"), file).toBe("PNG");
      const size = bytes.readUInt32BE(16);
      expect(size, file).toBe(file.includes("@2x") ? 32 : 16);
    }
    for (const size of [256, 512]) expect(fs.readFileSync(path.join(root, "build", "icons", `${size}x${size}.png`)).readUInt32BE(16)).toBe(size);
    expect(fs.readFileSync(path.join(root, "build", "icon.png")).readUInt32BE(16)).toBe(512);
  });

  it("a clicked notification opens its job's detail", () => {
    expect(notificationHash({ jobId: "job 1/x", runId: "r1" })).toBe("#/jobs/job%201%2Fx");
  });

  it("a clicked alert opens its job, and a missed-while-away summary opens the alerts list (issue 16)", () => {
    expect(notificationHash({ jobId: "j1", runId: "", alert: { id: "a1", kind: "no-success" } })).toBe("#/jobs/j1");
    expect(notificationHash({ jobId: "", runId: "", alert: { id: "a2", kind: "missed-summary" } })).toBe("#/alerts");
  });
});

describe("power events", () => {
  it("wake the engine on resume and on unlock, until stopped", () => {
    const listeners = new Map<string, () => void>();
    const power = { on: (event: string, listener: () => void) => listeners.set(event, listener), removeListener: (event: string) => listeners.delete(event) };
    const wake = vi.fn();
    const stop = wakeOnResume(power, wake);
    listeners.get("resume")!();
    listeners.get("unlock-screen")!();
    expect(wake).toHaveBeenCalledTimes(2);
    stop();
    expect(listeners.size).toBe(0);
  });
});

describe("debounce", () => {
  afterEach(() => vi.useRealTimers());

  it("collapses a burst into one call, but not for longer than maxWait", () => {
    vi.useFakeTimers();
    const callback = vi.fn();
    const debounced = debounce(callback, 200, 1_000);
    for (let i = 0; i < 3; i++) debounced();
    vi.advanceTimersByTime(200);
    expect(callback).toHaveBeenCalledTimes(1);
    // A steady stream every 100 ms still gets through once a second.
    for (let elapsed = 0; elapsed < 1_000; elapsed += 100) {
      debounced();
      vi.advanceTimersByTime(100);
    }
    expect(callback).toHaveBeenCalledTimes(2);
    debounced();
    debounced.cancel();
    vi.advanceTimersByTime(5_000);
    expect(callback).toHaveBeenCalledTimes(2);
  });
});

