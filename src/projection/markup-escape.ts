/**
 * Escaping for text put into HTML or SVG, in content or in quoted
 * attributes. Reasons, profile names and actors are whatever a user typed,
 * so markup characters are replaced by entities, and control characters
 * (invalid in XML, misleading on screen) are shown as `\xNN`.
 */
const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeMarkup(text: string): string {
  return text.replace(/[&<>"']/g, (char) => entities[char] ?? char).replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, controlEscape);
}

function controlEscape(char: string): string {
  const code = char.charCodeAt(0);
  return code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`;
}
