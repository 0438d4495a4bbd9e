// Module customization hooks (registered by moduleLoads.mjs): report the URL of every module Node's ESM loader
// loads, before it is evaluated, on the port handed over at registration.
let port;

export function initialize(data) {
  port = data.port;
}

export async function load(url, context, nextLoad) {
  port.postMessage(url);
  return nextLoad(url, context);
}
