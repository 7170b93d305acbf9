/**
 * The official text of each cStat of the NF-e/NFC-e web services (MOC 7.0 §5 tables and the technical
 * notes since), as sped-nfe lists them (cstat.json, SOURCE.md). A rejection shown to a user keeps
 * SEFAZ's own xMotivo; this text is for the screens that name a cStat without an answer at hand.
 */
import texts from './cstat.json' with { type: 'json' };

const table: Readonly<Record<string, string>> = texts;

/** The official text of `cStat`, or undefined for a code the table does not list. */
export function officialText(cStat: number | string): string | undefined {
  return table[String(cStat)];
}

/** How many codes the table lists. */
export const officialTextCount = (): number => Object.keys(table).length;
