/**
 * The glob of gate files for the document selector: the names the server reads as gate
 * files (`input-gates`, `exit-gates`, `entry-gates`, `gate`, each `.yml` or `.yaml`), in
 * any case, as the server matches them. Globs are case-sensitive, so each letter is a
 * class of its two cases.
 */
const anyCase = (s: string) => s.replace(/[a-z]/gi, (c) => `[${c.toUpperCase()}${c.toLowerCase()}]`);

/**
 * The glob of a workspace folder's confirmations file (`.cdp/confirmations.yml`, as the
 * server names it): its stale entries are findings with a quick fix.
 */
export const CONFIRMATIONS_GLOB = '**/.cdp/confirmations.yml';

export const GATE_FILE_GLOB = `**/{${['input-gates', 'exit-gates', 'entry-gates', 'gate'].map(anyCase).join(',')}}.{${anyCase('yml')},${anyCase('yaml')}}`;
