import { z } from 'zod';

/**
 * Names people type (learner display names, class names, instructor names) as they are shown
 * on dashboards, exports and other people's screens (issue 19: a name with U+202E could spoof
 * another one). Pure, so pages may use `displayName` too.
 *
 * - NFC, so "é" typed two ways is one name.
 * - Text-direction controls (\p{Bidi_Control}: U+202A–U+202E, U+2066–U+2069, LRM, RLM, ALM) are
 *   refused with a message: they have no business in a name and silently dropping them could
 *   change what the person meant to show.
 * - Other invisible characters (\p{Default_Ignorable_Code_Point}: zero-width space and joiners,
 *   word joiner, BOM, soft hyphen, variation selectors, Hangul fillers, tag characters) are
 *   stripped: they cannot be seen, so a name without them looks the same, and two names that
 *   look alike compare alike. Cost: an emoji sequence joined by U+200D shows as its parts, and
 *   a Persian name loses its zero-width non-joiners (readable, letters join). Recorded in
 *   docs/decisions/019.
 * - Control characters (C0, DEL, C1) are refused, as before.
 */

const BIDI_CONTROL = /\p{Bidi_Control}/u;
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/gu;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** A name as it may be stored and shown: NFC, no invisible characters, trimmed. */
export function cleanName(raw: string): string {
  return raw.normalize('NFC').replace(INVISIBLE, '').replace(/\s+/gu, ' ').trim();
}

/** For showing names stored before these rules (or by older code): also drops direction controls. */
export function displayName(raw: string): string {
  return cleanName(raw.replace(/\p{Bidi_Control}/gu, ''));
}

/** A zod schema for a typed name of 1..max characters (after cleaning). */
export function nameSchema(max: number) {
  return z
    .string()
    .refine((name) => !BIDI_CONTROL.test(name), 'must not contain text-direction control characters (such as U+202E)')
    .refine((name) => !CONTROL.test(name), 'must not contain control characters')
    .transform(cleanName)
    .pipe(z.string().min(1, 'must not be empty').max(max, `must be at most ${max} characters`));
}
