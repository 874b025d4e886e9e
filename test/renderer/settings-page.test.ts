// @vitest-environment jsdom
/**
 * The Settings page as the desktop window shows it: there, start at login is available (the
 * app's engine has it), so its switch is live and reaches the engine; the values come from
 * and go to the client, a refused change shows at its field. The daemon's case (not
 * available, with why) runs in Chromium in test/e2e/settings.test.ts.
 */
import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import SettingsPage from "../../renderer/src/components/SettingsPage.svelte";
import { SettingsState } from "../../renderer/src/lib/state/settings.svelte.js";
import { ValidationError } from "../../electron/shared/errors.js";
import type { SettingsChange, SettingsView } from "../../electron/shared/settings.js";
import { fakeClient, settingsView, settle } from "./support.js";

function appSettings(startAtLogin: boolean): SettingsView {
  return settingsView({ values: { "start-at-login": startAtLogin, home: "/home/ann/.config/Sundial" }, readOnly: { home: "chosen when Sundial starts" } });
}

async function renderPage() {
  const client = fakeClient();
  let current = appSettings(false);
  client.getSettings = vi.fn(async () => current);
  client.updateSettings = vi.fn(async (change: SettingsChange) => {
    if (change["history-max-runs"] === 0) throw new ValidationError([{ field: "history-max-runs", message: "must be a whole number from 1 to 100000" }]);
    current = { ...current, values: { ...current.values, ...change } };
    return current;
  });
  const settings = new SettingsState(client);
  settings.start();
  render(SettingsPage, { props: { settings } });
  await settle(10);
  return { client, settings, emit: (view: SettingsView) => client.emit({ type: "settings.changed", settings: view }) };
}

describe("the Settings page in the desktop app", () => {
  it("offers start at login, and switching it asks the engine", async () => {
    const { client } = await renderPage();
    const login = screen.getByRole("checkbox", { name: "Start at login" }) as HTMLInputElement;
    expect(login.disabled).toBe(false);
    expect(login.checked).toBe(false);
    await fireEvent.click(login);
    await settle(5);
    expect(client.updateSettings).toHaveBeenCalledWith({ "start-at-login": true });
    expect(login.checked).toBe(true);
  });

  it("follows settings.changed events (the tray or the CLI changed something)", async () => {
    const { emit } = await renderPage();
    emit({ ...appSettings(true), values: { ...appSettings(true).values, theme: "dark" } });
    await settle(5);
    expect((screen.getByRole("checkbox", { name: "Start at login" }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText("Theme") as HTMLSelectElement).value).toBe("dark");
  });

  it("shows a refused value at its field, naming the setting, and keeps what was typed", async () => {
    const { client } = await renderPage();
    const runs = screen.getByLabelText("Runs kept per job") as HTMLInputElement;
    await fireEvent.change(runs, { target: { value: "0" } });
    await settle(5);
    expect(client.updateSettings).toHaveBeenCalledWith({ "history-max-runs": 0 });
    expect(screen.getByRole("alert").textContent).toContain("Runs kept per job must be a whole number from 1 to 100000");
    expect(runs.value).toBe("0");
    expect(runs.getAttribute("aria-invalid")).toBe("true");
    expect((screen.getByLabelText("Home folder") as HTMLInputElement).readOnly).toBe(true);
  });
});
