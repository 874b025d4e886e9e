/**
 * Loaded into real Electron's main process (NODE_OPTIONS=--require) by electron-driver.ts:
 * records what the tray shows and the dialogs the app opens, and lets the test answer them,
 * the same things the double's control channel offers. Reached with electronApp.evaluate.
 */
const { Tray, dialog } = require("electron");

const recorder = { trays: [], shown: [], errorBoxes: [], scripted: [], pending: [] };
globalThis.__sundialRecorder = recorder;

for (const method of ["setImage", "setToolTip", "setContextMenu"]) {
  const original = Tray.prototype[method];
  Tray.prototype[method] = function (value) {
    let entry = recorder.trays.find((candidate) => candidate.tray === this);
    if (!entry) recorder.trays.push((entry = { tray: this, image: "", toolTip: "", menu: null }));
    if (method === "setImage") entry.image = value;
    if (method === "setToolTip") entry.toolTip = value;
    if (method === "setContextMenu") entry.menu = value;
    return original.call(this, value);
  };
}

const showErrorBox = dialog.showErrorBox.bind(dialog);
dialog.showErrorBox = (title, content) => {
  recorder.errorBoxes.push({ title, content });
  process.stderr.write(`electron recorder: error box "${title}": ${content}\n`);
  if (process.env.SUNDIAL_RECORDER_HEADLESS !== "1") showErrorBox(title, content);
};
dialog.showMessageBox = (windowOrOptions, maybeOptions) => {
  const options = maybeOptions ?? windowOrOptions;
  const record = { title: options.title, message: options.message, detail: options.detail, buttons: options.buttons ?? ["OK"] };
  recorder.shown.push(record);
  return new Promise((resolve) => {
    const answer = (button) => resolve({ response: record.buttons.indexOf(button), checkboxChecked: false });
    if (recorder.scripted.length > 0) answer(recorder.scripted.shift());
    else recorder.pending.push(answer);
  });
};
recorder.answer = (button) => {
  const pending = recorder.pending.shift();
  if (pending) pending(button);
  else recorder.scripted.push(button);
};
