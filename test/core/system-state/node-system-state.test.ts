/**
 * The daemon's SystemState (issue 15): power read from a Linux power-supply folder (real
 * files in a temp folder shaped like /sys/class/power_supply), macOS pmset's answer, the
 * network from an interface table; and the test-only state file the real daemon can be
 * pointed at.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hasNetwork, linuxOnAcPower, pmsetOnAc } from "../../../electron/core/system-state/node-system-state.js";
import { FileSystemState } from "../../../electron/core/system-state/file-system-state.js";
import { removeTempFolders, tempFolder } from "../../support/temp-folders.mjs";
import { waitFor } from "../../support/waiting.mjs";

afterAll(removeTempFolders);

function supplies(entries: Record<string, { type: string; online?: string }>): string {
  const root = tempFolder("power-supply");
  for (const [name, { type, online }] of Object.entries(entries)) {
    fs.mkdirSync(path.join(root, name));
    fs.writeFileSync(path.join(root, name, "type"), `${type}\n`);
    if (online !== undefined) fs.writeFileSync(path.join(root, name, "online"), `${online}\n`);
  }
  return root;
}

describe("power on Linux", () => {
  it("a laptop on its charger is on AC, unplugged it is on battery", () => {
    expect(linuxOnAcPower(supplies({ AC: { type: "Mains", online: "1" }, BAT0: { type: "Battery" } }))).toBe(true);
    expect(linuxOnAcPower(supplies({ AC: { type: "Mains", online: "0" }, BAT0: { type: "Battery" } }))).toBe(false);
  });

  it("a machine with no battery counts as on AC, and an unreadable folder as unknown", () => {
    expect(linuxOnAcPower(supplies({}))).toBe(true);
    expect(linuxOnAcPower(supplies({ AC: { type: "Mains", online: "0" } }))).toBe(true);
    expect(linuxOnAcPower(path.join(tempFolder("no-sysfs"), "missing"))).toBeNull();
  });

  it("any charger online (USB-C next to a Mains that is not) is AC", () => {
    expect(linuxOnAcPower(supplies({ AC: { type: "Mains", online: "0" }, ucsi: { type: "USB", online: "1" }, BAT0: { type: "Battery" } }))).toBe(true);
  });
});

describe("power on macOS and the network", () => {
  it("reads pmset's source of power", () => {
    expect(pmsetOnAc("Now drawing from 'AC Power'\n -InternalBattery-0 (id=1)\t100%; charged")).toBe(true);
    expect(pmsetOnAc("Now drawing from 'Battery Power'\n -InternalBattery-0 (id=1)\t80%; discharging")).toBe(false);
    expect(pmsetOnAc("")).toBeNull();
  });

  it("is online with an address on an interface other than the loopback, not with link-local ones only", () => {
    const loopback = { address: "127.0.0.1", netmask: "255.0.0.0", family: "IPv4", mac: "00:00:00:00:00:00", internal: true, cidr: "127.0.0.1/8" } as const;
    const linkLocal = { address: "fe80::1", netmask: "ffff:ffff:ffff:ffff::", family: "IPv6", mac: "02:00:00:00:00:01", internal: false, cidr: "fe80::1/64", scopeid: 2 } as const;
    const lan = { address: "192.168.1.20", netmask: "255.255.255.0", family: "IPv4", mac: "02:00:00:00:00:01", internal: false, cidr: "192.168.1.20/24" } as const;
    expect(hasNetwork({ lo: [loopback] })).toBe(false);
    expect(hasNetwork({ lo: [loopback], eth0: [linkLocal] })).toBe(false);
    expect(hasNetwork({ lo: [loopback], eth0: [linkLocal, lan] })).toBe(true);
  });
});

describe("the test-only state file", () => {
  it("reads the file, is unknown without it, and tells a listener when it changes", async () => {
    const file = path.join(tempFolder("state-file"), "state.json");
    const state = new FileSystemState(file);
    expect([state.onAcPower(), state.isOnline()]).toEqual([null, null]);
    fs.writeFileSync(file, JSON.stringify({ onAcPower: false, online: true }));
    expect([state.onAcPower(), state.isOnline()]).toEqual([false, true]);
    let told = 0;
    const stop = state.onChange(() => told++);
    fs.writeFileSync(file, JSON.stringify({ onAcPower: true, online: true }));
    await waitFor(() => told > 0, 5_000, "the change");
    expect(state.onAcPower()).toBe(true);
    stop();
  });
});
