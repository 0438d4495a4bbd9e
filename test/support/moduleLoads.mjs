// Preloaded with --import: records every module the ESM loader loads (moduleLoadHooks.mjs), chunks of a bundle
// included. The hooks run on their own thread and post each URL before the module is evaluated, so once an import
// has settled its URLs are already queued on the port and can be read synchronously.
import { register } from 'node:module';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';

const { port1, port2 } = new MessageChannel();
port1.unref();
register('./moduleLoadHooks.mjs', import.meta.url, { data: { port: port2 }, transferList: [port2] });

const loaded = [];

/** The URLs of every module loaded so far, in load order. */
export function modulesLoaded() {
  for (let message = receiveMessageOnPort(port1); message; message = receiveMessageOnPort(port1)) loaded.push(message.message);
  return [...loaded];
}
