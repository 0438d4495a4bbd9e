/** Hosts where nothing leaves the machine (local fakes, Azurite): the only places plain http is allowed. */
const LOOPBACK_HOST = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

export const isLoopbackHost = (hostname: string): boolean => LOOPBACK_HOST.test(hostname);

/** https, or http on loopback: anywhere else plain http would carry keys in clear. */
export const isSecureOrLoopback = (url: URL): boolean =>
  url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
