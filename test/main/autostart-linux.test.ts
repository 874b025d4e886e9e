import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  AUTOSTART_FILE_NAME,
  autostartExecutable,
  desktopEntry,
  disableLinuxAutostart,
  enableLinuxAutostart,
  isLinuxAutostartEnabled,
  linuxAutostartFolder,
  quoteExecArgument,
} from "../../electron/main/autostart-linux.js";
import { tempFolder } from "../support/temp-folders.mjs";

describe("the XDG autostart entry", () => {
  let folder: string;
  beforeEach(() => {
    folder = path.join(tempFolder("autostart"), "autostart");
  });
  afterEach(() => fs.rmSync(path.dirname(folder), { recursive: true, force: true }));

  it("is written as sundial.desktop, creating the folder, and read back as enabled", () => {
    expect(isLinuxAutostartEnabled(folder)).toBe(false);
    const file = enableLinuxAutostart(folder, { execPath: "/opt/Sundial/sundial", args: ["--hidden"] });
    expect(file).toBe(path.join(folder, AUTOSTART_FILE_NAME));
    expect(fs.readFileSync(file, "utf8")).toBe(
      [
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.0",
        "Name=Sundial",
        "Comment=Runs your scheduled jobs from the tray",
        "Exec=/opt/Sundial/sundial --hidden",
        "Icon=sundial",
        "Terminal=false",
        "Categories=Utility;",
        "X-GNOME-Autostart-enabled=true",
        "",
      ].join("\n"),
    );
    expect(isLinuxAutostartEnabled(folder)).toBe(true);
    expect(fs.readdirSync(folder)).toEqual([AUTOSTART_FILE_NAME]);
  });

  it("is removed when disabled, and removing it twice is fine", () => {
    enableLinuxAutostart(folder, { execPath: "/usr/bin/sundial" });
    disableLinuxAutostart(folder);
    expect(fs.existsSync(path.join(folder, AUTOSTART_FILE_NAME))).toBe(false);
    expect(isLinuxAutostartEnabled(folder)).toBe(false);
    expect(() => disableLinuxAutostart(folder)).not.toThrow();
  });

  it("counts as off when a desktop settings app switched it off instead of deleting it", () => {
    const file = enableLinuxAutostart(folder, { execPath: "/usr/bin/sundial" });
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("X-GNOME-Autostart-enabled=true", "X-GNOME-Autostart-enabled=false"));
    expect(isLinuxAutostartEnabled(folder)).toBe(false);
    fs.writeFileSync(file, `${desktopEntry({ execPath: "/usr/bin/sundial" })}Hidden=true\n`);
    expect(isLinuxAutostartEnabled(folder)).toBe(false);
  });

  it("quotes paths with spaces and escapes what the Exec key reserves", () => {
    expect(quoteExecArgument("/usr/bin/sundial")).toBe("/usr/bin/sundial");
    expect(quoteExecArgument("/home/ann/My Apps/Sundial.AppImage")).toBe('"/home/ann/My Apps/Sundial.AppImage"');
    // `$` is escaped inside quotes, then every backslash is doubled by the string escape rule.
    expect(quoteExecArgument("/home/ann/$HOME dir")).toBe('"/home/ann/\\\\$HOME dir"');
    expect(quoteExecArgument("/data/100%")).toBe("/data/100%%");
    expect(desktopEntry({ execPath: "/opt/Sun dial/sundial", args: ["--home", "/home/ann/jobs home"] })).toContain(
      'Exec="/opt/Sun dial/sundial" --home "/home/ann/jobs home"',
    );
  });

  it("starts the AppImage file itself, not its temporary mount", () => {
    expect(autostartExecutable("/tmp/.mount_SundiAbC/sundial", { APPIMAGE: "/home/ann/Apps/Sundial.AppImage" })).toBe("/home/ann/Apps/Sundial.AppImage");
    expect(autostartExecutable("/opt/Sundial/sundial", {})).toBe("/opt/Sundial/sundial");
  });

  it("lives in $XDG_CONFIG_HOME/autostart, else ~/.config/autostart", () => {
    expect(linuxAutostartFolder({ XDG_CONFIG_HOME: "/cfg" })).toBe("/cfg/autostart");
    expect(linuxAutostartFolder({})).toBe(path.join(os.homedir(), ".config", "autostart"));
  });
});
