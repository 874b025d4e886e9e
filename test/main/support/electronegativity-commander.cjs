// Loaded with `node -r` before electronegativity 1.10. It requires "commander" without
// declaring it and expects the pre-v7 API (a global program with options as properties);
// npm hoists the commander 14 that Sundial's own CLI uses, which breaks it. Point its
// require at commander 6 (devDependency alias "commander-v6"), and nothing else's.
const Module = require("node:module");
const path = require("node:path");

const marker = `${path.sep}@doyensec${path.sep}electronegativity${path.sep}`;
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  const fromScanner = parent && typeof parent.filename === "string" && parent.filename.includes(marker);
  return resolve.call(this, fromScanner && request === "commander" ? "commander-v6" : request, parent, ...rest);
};
