/**
 * Turns the tray's menu model into Electron's menu template, wiring each item's `action` to
 * one dispatcher. Only Electron's types are imported, so this too is tested in plain Node.
 */
import type { MenuItemConstructorOptions } from "electron";
import type { MenuItemModel, MenuTemplate, TrayAction } from "./tray-menu.js";

export function toElectronMenu(template: MenuTemplate, dispatch: (action: TrayAction) => void): MenuItemConstructorOptions[] {
  return template.map((item) => toElectronItem(item, dispatch));
}

function toElectronItem(item: MenuItemModel, dispatch: (action: TrayAction) => void): MenuItemConstructorOptions {
  const options: MenuItemConstructorOptions = {};
  if (item.type) options.type = item.type;
  // `&` marks a mnemonic in Electron labels on Windows and Linux; a job named "R&D" must show as typed.
  if (item.label !== undefined) options.label = item.label.replace(/&/g, "&&");
  if (item.checked !== undefined) options.checked = item.checked;
  if (item.enabled !== undefined) options.enabled = item.enabled;
  if (item.submenu) options.submenu = toElectronMenu(item.submenu, dispatch);
  const action = item.action;
  if (action) options.click = () => dispatch(action);
  return options;
}
