// Stand-in for '@azure/functions-core', the virtual module the Functions host's Node worker provides.
// With it, @azure/functions registers functions here instead of dropping them in "test mode", so tests
// see exactly what the worker would send the host: each function's metadata and its callback.
'use strict';
const Module = require('node:module');

const registrations = [];
const fakeCore = {
  registrations,
  setProgrammingModel() {},
  registerHook() {
    return { dispose() {} };
  },
  registerFunction(metadata, callback) {
    registrations.push({ metadata, callback });
    return { dispose() {} };
  },
  log() {},
};

const ID = '@azure/functions-core';
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === ID ? ID : resolve.call(this, request, ...rest);
};
require.cache[ID] = { id: ID, filename: ID, loaded: true, exports: fakeCore };

module.exports = fakeCore;
