/** `settings`, `settings get KEY`, `settings set KEY VALUE`: the global settings (shared/settings.ts). */
import { CliInputError } from "../../shared/errors.js";
import { formatSettingValue, isSettingKey, parseSettingText, SETTING_KEYS, unknownSettingMessage, type SettingKey, type SettingsView } from "../../shared/settings.js";
import { printJson, println, type CliContext } from "./context.js";
import { renderTable } from "./format.js";

const ACTIONS = ["get", "set"] as const;

/**
 * Lists every setting, prints one (`get KEY`) or changes one (`set KEY VALUE`). Bad input
 * (an unknown action or key, a value of the wrong kind) is refused before the engine is
 * asked, each problem naming the argument; the engine checks the value again.
 */
export async function settingsCommand(context: CliContext, action: string | undefined, key: string | undefined, value: string | undefined, options: { json?: boolean }): Promise<void> {
  if (action === undefined) {
    const view = await context.client().getSettings();
    if (options.json) return printJson(context.stdout, view.values);
    println(context.stdout, renderTable(["KEY", "VALUE", "NOTE"], SETTING_KEYS.map((name) => [name, formatSettingValue(view.values[name]), noteOf(view, name)])), "lines");
    return;
  }
  if (!(ACTIONS as readonly string[]).includes(action)) throw new CliInputError([`ACTION: "${action}" is not one of ${ACTIONS.join(", ")} (or nothing, to list every setting)`]);
  if (key === undefined) throw new CliInputError([`KEY: required (one of ${SETTING_KEYS.join(", ")})`]);
  if (!isSettingKey(key)) throw new CliInputError([`KEY: ${unknownSettingMessage(key)}`]);

  if (action === "get") {
    if (value !== undefined) throw new CliInputError([`VALUE: only with set (sundial settings set ${key} ${value})`]);
    const view = await context.client().getSettings();
    if (options.json) return printJson(context.stdout, view.values[key]);
    println(context.stdout, formatSettingValue(view.values[key]));
    return;
  }

  if (value === undefined) throw new CliInputError([`VALUE: required (sundial settings set ${key} VALUE)`]);
  const parsed = parseSettingText(key, value);
  if ("problem" in parsed) throw new CliInputError([`${key}: ${parsed.problem}`]);
  const view = await context.client().updateSettings({ [key]: parsed.value });
  if (options.json) return printJson(context.stdout, view.values);
  println(context.stdout, `${key} is now ${formatSettingValue(view.values[key])}`);
}

function noteOf(view: SettingsView, key: SettingKey): string {
  const reason = view.readOnly[key];
  return reason ? `read-only: ${reason}` : "";
}
