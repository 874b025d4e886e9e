/**
 * The desktop app's SystemState over Electron's powerMonitor and net (issue 15), with
 * stand-ins for their slices: a machine that is not on battery reads as on AC, `on-ac` /
 * `on-battery` reach a listener, and it stops listening when the engine does.
 */
import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { ElectronSystemState } from "../../electron/main/electron-system-state.js";

class Power extends EventEmitter {
  onBattery = false;
  isOnBatteryPower(): boolean {
    return this.onBattery;
  }
}

describe("ElectronSystemState", () => {
  it("reads powerMonitor and net, and passes power events on while listened to", () => {
    const power = new Power();
    const network = { online: true, isOnline() { return this.online; } };
    const state = new ElectronSystemState(power, network, 60_000);
    expect([state.onAcPower(), state.isOnline()]).toEqual([true, true]);
    let told = 0;
    const stop = state.onChange(() => told++);
    power.onBattery = true;
    power.emit("on-battery");
    expect(state.onAcPower()).toBe(false);
    expect(told).toBe(1);
    power.onBattery = false;
    power.emit("on-ac");
    expect(told).toBe(2);
    stop();
    expect(power.listenerCount("on-ac") + power.listenerCount("on-battery")).toBe(0);
    network.online = false;
    expect(state.isOnline()).toBe(false);
  });
});
