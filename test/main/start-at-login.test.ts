/**
 * Start at login as a setting (issue 13, "A settings page"): in the desktop app's engine
 * host (without Electron) with the app's Linux autostart over a temp XDG folder, `sundial
 * settings` shows it and turns it on and off (the real autostart entry appears and goes),
 * every open face hears `settings.changed`, and a change made outside Sundial (the desktop's
 * own settings deleting the entry) is what Settings reports.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SilentNotifier } from "../../electron/core/notifier/silent-notifier.js";
import { AUTOSTART_FILE_NAME, linuxAutostart } from "../../electron/main/autostart-linux.js";
import { startEngineHost, type EngineHost } from "../../electron/main/engine-host.js";
import type { SchedulerEvent } from "../../electron/shared/contract.js";
import { ensureBuilt, sundial, sundialJson } from "../support/cli.js";
import { removeTempFolders, tempFolder } from "../support/temp-folders.mjs";

describe.runIf(process.platform === "linux")("start at login in the desktop app's settings", () => {
  let host: EngineHost | null = null;

  beforeAll(() => ensureBuilt(), 120_000);
  afterEach(async () => {
    await host?.stop();
    host = null;
  });
  afterAll(() => removeTempFolders());

  it("is shown and switched by sundial settings, writing the XDG autostart entry", async () => {
    const home = tempFolder("login-home");
    const folder = path.join(tempFolder("login-xdg"), "autostart");
    const entry = path.join(folder, AUTOSTART_FILE_NAME);
    const events: SchedulerEvent[] = [];
    host = await startEngineHost({
      home,
      log: () => {},
      notifier: new SilentNotifier(),
      baseEnv: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
      startAtLogin: linuxAutostart(folder, "/opt/Sundial/sundial", ["--home", home, "--hidden"]),
      onEvent: (event) => events.push(event),
    });

    expect(await sundialJson<boolean>(["settings", "get", "start-at-login"], { home })).toBe(false);
    const listed = await sundial(["settings"], { home });
    expect(listed.stdout).toMatch(/^start-at-login\s+off\s*$/m);

    expect((await sundial(["settings", "set", "start-at-login", "on"], { home })).stdout).toBe("start-at-login is now on\n");
    expect(fs.readFileSync(entry, "utf8")).toContain(`Exec=/opt/Sundial/sundial --home ${home} --hidden`);
    expect(events.filter((event) => event.type === "settings.changed").at(-1)).toMatchObject({ settings: { values: { "start-at-login": true } } });
    expect((await host.engine.service.getSettings()).readOnly).not.toHaveProperty("start-at-login");

    // Turned off outside Sundial (the desktop's settings remove the entry): Settings says so.
    fs.rmSync(entry);
    expect(await sundialJson<boolean>(["settings", "get", "start-at-login"], { home })).toBe(false);

    await sundial(["settings", "set", "start-at-login", "on"], { home });
    await sundial(["settings", "set", "start-at-login", "off"], { home });
    expect(fs.existsSync(entry)).toBe(false);
    expect(await sundialJson<boolean>(["settings", "get", "start-at-login"], { home })).toBe(false);
  });
});
