/**
 * What a form's write-only secret fields ask the API to do, per purpose: a string sets the secret, null clears
 * the stored one, absent keeps it. One rule for every form with secrets (devices, targets):
 * - "Forget" wins over anything typed (the field is disabled then, so what it holds is not what the user means);
 * - a typed value is set only where the form's settings use that secret;
 * - a stored secret the settings no longer use (SNMP v3 switched to v2c, CHAP switched off) is cleared.
 */
export function secretChanges<P extends string>(
  purposes: readonly P[],
  fields: { wanted(purpose: P): boolean; typed: Record<P, string>; forget: Record<P, boolean>; stored: ReadonlySet<string> },
): Partial<Record<P, string | null>> {
  const changes: Partial<Record<P, string | null>> = {};
  for (const purpose of purposes) {
    const wanted = fields.wanted(purpose);
    if (wanted && !fields.forget[purpose] && fields.typed[purpose]) changes[purpose] = fields.typed[purpose];
    else if (fields.stored.has(purpose) && (fields.forget[purpose] || !wanted)) changes[purpose] = null;
  }
  return changes;
}
