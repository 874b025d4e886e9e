import { describe, expect, it, vi } from "vitest";
import { performTrayAction, type TrayActionDeps } from "../../electron/main/tray-actions.js";
import { toElectronMenu } from "../../electron/main/tray-menu-adapter.js";
import type { TrayAction } from "../../electron/main/tray-menu.js";
import { JobBusyError } from "../../electron/shared/errors.js";
import { NOW } from "./fixtures.js";

function deps() {
  const service = {
    runNow: vi.fn(async () => ({}) as never),
    pauseJob: vi.fn(async () => ({}) as never),
    resumeJob: vi.fn(async () => ({}) as never),
    pauseAll: vi.fn(async () => ({}) as never),
    resumeAll: vi.fn(async () => ({}) as never),
  };
  let openAtLogin = false;
  const all = {
    service,
    now: () => NOW,
    openWindow: vi.fn(),
    isOpenAtLogin: () => openAtLogin,
    setOpenAtLogin: vi.fn((enabled: boolean) => {
      openAtLogin = enabled;
    }),
    quit: vi.fn(),
    reportError: vi.fn(),
  };
  return all satisfies TrayActionDeps;
}

describe("tray actions", () => {
  it("route job actions to the service by job id", async () => {
    const d = deps();
    await performTrayAction({ type: "runNow", jobId: "j1" }, d);
    await performTrayAction({ type: "pauseJob", jobId: "j1" }, d);
    await performTrayAction({ type: "resumeJob", jobId: "j1" }, d);
    expect(d.service.runNow).toHaveBeenCalledWith("j1");
    expect(d.service.pauseJob).toHaveBeenCalledWith("j1");
    expect(d.service.resumeJob).toHaveBeenCalledWith("j1");
  });

  it("pause everything for exactly one hour from now", async () => {
    const d = deps();
    await performTrayAction({ type: "pauseAllForAnHour" }, d);
    expect(d.service.pauseAll).toHaveBeenCalledWith(new Date(NOW + 3_600_000).toISOString());
  });

  it("toggle start at login, open the window at a route, and quit", async () => {
    const d = deps();
    await performTrayAction({ type: "toggleOpenAtLogin" }, d);
    await performTrayAction({ type: "toggleOpenAtLogin" }, d);
    expect(d.setOpenAtLogin.mock.calls).toEqual([[true], [false]]);
    await performTrayAction({ type: "openWindow", hash: "#/jobs/j1" }, d);
    expect(d.openWindow).toHaveBeenCalledWith("#/jobs/j1");
    await performTrayAction({ type: "quit" }, d);
    expect(d.quit).toHaveBeenCalledOnce();
  });

  it("report a failing action instead of throwing", async () => {
    const d = deps();
    d.service.runNow.mockRejectedValueOnce(new JobBusyError("backup"));
    await expect(performTrayAction({ type: "runNow", jobId: "j1" }, d)).resolves.toBeUndefined();
    expect(d.reportError).toHaveBeenCalledWith('"backup" is already running (its overlap policy does not allow another run now)');
  });
});

describe("the tray menu adapter", () => {
  it("keeps labels as typed (escaping Electron's & mnemonic) and wires clicks to the dispatcher", () => {
    const dispatched: TrayAction[] = [];
    const menu = toElectronMenu(
      [
        { label: "Next: R&D in 5 min", enabled: false },
        { type: "separator" },
        { label: "• R&D", type: "submenu", submenu: [{ label: "Run now", action: { type: "runNow", jobId: "rd" } }] },
        { label: "Start at login", type: "checkbox", checked: true, action: { type: "toggleOpenAtLogin" } },
      ],
      (action) => dispatched.push(action),
    );
    expect(menu[0]).toEqual({ label: "Next: R&&D in 5 min", enabled: false });
    expect(menu[1]).toEqual({ type: "separator" });
    expect(menu[3]).toMatchObject({ type: "checkbox", checked: true });
    const runNow = (menu[2]!.submenu as { click?: () => void }[])[0]!;
    runNow.click!();
    (menu[3]!.click as () => void)();
    expect(dispatched).toEqual([{ type: "runNow", jobId: "rd" }, { type: "toggleOpenAtLogin" }]);
    expect(menu[0]!.click).toBeUndefined();
  });
});
