/**
 * Address checks written by hand because domain/ may not import Node (node:net's isIP) or npm packages.
 * They are fuzzed against node:net in test/unit/domain/addresses.test.ts so they cannot drift from it.
 */

const IPV4_OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

export function isIPv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((part) => IPV4_OCTET.test(part));
}

const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

export function isIPv6(text: string): boolean {
  // A zone index (fe80::1%eth0) names a local interface; the characters allowed are node:net's, so an
  // address accepted here is one the drivers can connect to.
  const zoneAt = text.indexOf('%');
  let address = text;
  if (zoneAt !== -1) {
    const zone = text.slice(zoneAt + 1);
    if (!/^[0-9A-Za-z.:\-]+$/.test(zone)) return false;
    address = text.slice(0, zoneAt);
  }
  if (address.length < 2 || address.length > 45) return false;
  const halves = address.split('::');
  if (halves.length > 2) return false;

  const groupsOf = (half: string): string[] | null => {
    if (half === '') return [];
    const groups = half.split(':');
    return groups.some((g) => g === '') ? null : groups;
  };
  const head = groupsOf(halves[0] ?? '');
  const tail = halves.length === 2 ? groupsOf(halves[1] ?? '') : [];
  if (head === null || tail === null) return false;

  const all = [...head, ...tail];
  let width = 0;
  for (let i = 0; i < all.length; i++) {
    const group = all[i] ?? '';
    // An embedded IPv4 address may only end the whole address, not the part before a trailing '::'.
    const isLast = i === all.length - 1 && !address.endsWith(':');
    if (isLast && group.includes('.')) {
      if (!isIPv4(group)) return false;
      width += 2; // an embedded IPv4 address fills two 16-bit groups
    } else if (HEX_GROUP.test(group)) {
      width += 1;
    } else {
      return false;
    }
  }
  // '::' stands for at least one zero group.
  return halves.length === 2 ? width <= 7 : width === 8;
}

const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/**
 * An RFC 1123 host name. The last label may not be all digits, so that a mistyped IPv4 address
 * such as 10.0.0.256 is reported as a bad address, not accepted as a name.
 */
export function isHostName(text: string): boolean {
  const name = text.endsWith('.') ? text.slice(0, -1) : text;
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.split('.');
  if (!labels.every((label) => LABEL.test(label))) return false;
  return !/^\d+$/.test(labels[labels.length - 1] ?? '');
}

/** Why `text` is not a usable management address, or null when it is one. */
export function checkAddress(text: string): string | null {
  const value = text.trim();
  if (value === '') return 'a management address is required (an IPv4 or IPv6 address, or a host name)';
  if (value !== text) return 'remove the spaces around the address';
  if (isIPv4(value) || isIPv6(value) || isHostName(value)) return null;
  if (/^[\d.]+$/.test(value)) return `"${value}" is not a valid IPv4 address (four numbers 0–255 separated by dots)`;
  if (value.includes(':')) return `"${value}" is not a valid IPv6 address`;
  return `"${value}" is neither an IP address nor a valid host name`;
}

/** Brackets an IPv6 literal so it can be followed by :port. */
export function hostForUrl(address: string): string {
  return isIPv6(address) ? `[${address}]` : address;
}

/** Why `text` is not an http(s) URL of a management API, or null. */
export function checkManagementUrl(text: string, what: string): string | null {
  const value = text.trim();
  if (value === '') return `the ${what} URL is required`;
  const match = /^(https?):\/\/(\[[^\]]+\]|[^/:?#\s]+)(?::(\d{1,5}))?(\/[^\s?#]*)?$/i.exec(value);
  if (!match) return `"${value}" is not an http:// or https:// URL (for example https://10.0.0.1)`;
  const host = match[2] ?? '';
  const bare = host.startsWith('[') ? host.slice(1, -1) : host;
  const hostOk = host.startsWith('[') ? isIPv6(bare) : isIPv4(bare) || isHostName(bare);
  if (!hostOk) return `"${bare}" in the ${what} URL is not a valid address or host name`;
  if (match[3] !== undefined) {
    const port = Number(match[3]);
    if (port < 1 || port > 65535) return `port ${match[3]} in the ${what} URL is outside 1–65535`;
  }
  return null;
}

const MAC = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/;

/** MACs are kept as lower-case colon hex; this accepts the common spellings and returns that form. */
export function normaliseMac(text: string): string | null {
  const hex = text.trim().toLowerCase().replace(/[-:.\s]/g, '');
  if (!/^[0-9a-f]{12}$/.test(hex)) return null;
  const mac = hex.match(/../g)?.join(':') ?? '';
  return MAC.test(mac) ? mac : null;
}

/**
 * A certificate's SHA-256 fingerprint in the one form Labwarden stores and shows (AB:CD:…, as Node and
 * `openssl x509 -fingerprint -sha256` print it); accepts colons, spaces or none, any case. Null if not one.
 */
export function normalizeFingerprint(text: string): string | null {
  const hex = text.trim().replace(/^sha256[:=]?/i, '').replace(/[\s:]/g, '');
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return null;
  return hex.toUpperCase().match(/../g)!.join(':');
}

/** An IPv4 address as a 32-bit unsigned number, or null. */
export function ipv4Number(text: string): number | null {
  if (!isIPv4(text)) return null;
  return text.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

/** Whether `other` lies in the IPv4 subnet of `address`/`netmask` (dotted or a /prefix length). */
export function sameIPv4Subnet(address: string, netmask: string, other: string): boolean {
  const a = ipv4Number(address);
  const b = ipv4Number(other);
  if (a === null || b === null) return false;
  let mask: number | null;
  const prefix = /^\/?(\d{1,2})$/.exec(netmask.trim());
  if (prefix) {
    const bits = Number(prefix[1]);
    if (bits > 32) return false;
    mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  } else {
    mask = ipv4Number(netmask);
  }
  if (mask === null) return false;
  return (a & mask) >>> 0 === (b & mask) >>> 0;
}
