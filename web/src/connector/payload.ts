/**
 * A ticket's payload made readable: JSON indented (the server already indents what it could parse), XML
 * one element per line; anything else (a cut payload, plain text) as it is.
 */
export function prettyPayload(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.stringify(JSON.parse(trimmed), null, 2);
    } catch {
      return text;
    }
  }
  if (trimmed.startsWith('<') && !trimmed.includes('\n')) return indentXml(trimmed);
  return text;
}

/** Breaks XML between tags and indents by depth; text stays on its element's line. */
function indentXml(xml: string): string {
  const lines: string[] = [];
  let depth = 0;
  for (const token of xml.replace(/>\s*</g, '>\n<').split('\n')) {
    const closing = /^<\//.test(token);
    const opensAndCloses =
      /^<[^!?/][^>]*>.*<\/[^>]+>$/.test(token) || /\/>$/.test(token) || /^<[!?]/.test(token);
    if (closing) depth = Math.max(0, depth - 1);
    lines.push(`${'  '.repeat(depth)}${token}`);
    if (!closing && !opensAndCloses) depth++;
  }
  return lines.join('\n');
}
