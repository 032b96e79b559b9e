/** iSCSI names as RFC 7143 §4.2.7 defines them: iqn., eui. or naa. */

const IQN = /^iqn\.\d{4}-(0[1-9]|1[0-2])\.[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[^\s]+)?$/;
const EUI = /^eui\.[0-9A-F]{16}$/;
const NAA = /^naa\.([0-9A-F]{16}|[0-9A-F]{32})$/;

/** Why `text` is not an iSCSI name, or null. iSCSI names are case-folded to lower case except eui/naa hex. */
export function checkIscsiName(text: string): string | null {
  if (text === '') return 'an iSCSI name (iqn.YYYY-MM.reversed.domain:identifier) is required';
  if (text.length > 223) return 'an iSCSI name is at most 223 bytes long';
  if (IQN.test(text) || EUI.test(text) || NAA.test(text)) return null;
  if (text.startsWith('iqn.') && text !== text.toLowerCase()) return 'iqn names are lower case';
  return `"${text}" is not an iSCSI name; expected iqn.YYYY-MM.reversed.domain[:identifier] (or eui./naa.)`;
}
