/**
 * What a file name of an attachment may be. It goes into the `Content-Type` and
 * `Content-Disposition` headers and ends up on the recipient's disk, so it is refused when it
 * could break a header (control characters), step out of a folder (separators, `..`), look
 * like another file type than it is (direction overrides, a trailing dot or space that Windows
 * drops), or name a device. File types Amazon SES refuses are refused whatever the relay, so
 * that a message never fails at delivery for being sent through SES.
 */

/** Longest file name, in characters (as SES's `FileName`). */
export const MAX_FILENAME = 255;

/**
 * The file types Amazon SES does not send ("Amazon SES unsupported attachment types", SES
 * Developer Guide), mostly executables and scripts.
 */
// prettier-ignore
export const REFUSED_EXTENSIONS: readonly string[] = [
  '.ade', '.adp', '.app', '.asp', '.bas', '.bat', '.cer', '.chm', '.cmd', '.com', '.cpl', '.crt', '.csh', '.der',
  '.exe', '.fxp', '.gadget', '.hlp', '.hta', '.inf', '.ins', '.isp', '.its', '.js', '.jse', '.ksh', '.lib', '.lnk',
  '.mad', '.maf', '.mag', '.mam', '.maq', '.mar', '.mas', '.mat', '.mau', '.mav', '.maw', '.mda', '.mdb', '.mde',
  '.mdt', '.mdw', '.mdz', '.msc', '.msh', '.msh1', '.msh2', '.mshxml', '.msh1xml', '.msh2xml', '.msi', '.msp', '.mst',
  '.ops', '.pcd', '.pif', '.plg', '.prf', '.prg', '.reg', '.scf', '.scr', '.sct', '.shb', '.shs', '.sys', '.ps1',
  '.ps1xml', '.ps2', '.ps2xml', '.psc1', '.psc2', '.tmp', '.url', '.vb', '.vbe', '.vbs', '.vps', '.vsmacros', '.vss',
  '.vst', '.vsw', '.vxd', '.ws', '.wsc', '.wsf', '.wsh', '.xnk',
];

const REFUSED = new Set(REFUSED_EXTENSIONS);
// C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// Marks and overrides that reorder what is shown: "invoice<U+202E>fdp.exe" reads as "invoiceexe.pdf".
const DIRECTION = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
// Characters Windows does not allow in a file name; `/` and `\` also separate folders everywhere.
const FORBIDDEN = /[<>:"/\\|?*]/;
const DEVICE = /^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(?:\..*)?$/i;
const UNPAIRED_SURROGATE = /\p{Cs}/u;

/** The last extension of a name, lower-cased with its dot (`.pdf`); '' without one. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot).toLowerCase() : '';
}

/** Why `name` cannot be an attachment's file name; undefined when it can. */
export function filenameProblem(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (UNPAIRED_SURROGATE.test(name)) return 'must be valid Unicode text: it holds an unpaired surrogate (such as \\ud800)';
  if ([...name].length > MAX_FILENAME) return `at most ${MAX_FILENAME} characters`;
  if (CONTROL.test(name)) return 'must not hold control characters (CR, LF, tab, NUL…)';
  if (DIRECTION.test(name)) return "must not hold direction marks or overrides (U+202E…): they disguise a file's type";
  if (FORBIDDEN.test(name)) return 'must not hold / \\ : * ? " < > |';
  if (name === '.' || name === '..') return 'is not a file name';
  if (name !== name.trim()) return 'must not start or end with a space';
  if (name.endsWith('.')) return 'must not end with a dot';
  if (DEVICE.test(name)) return 'is a reserved device name on Windows (CON, PRN, AUX, NUL, COM1 to COM9, LPT1 to LPT9)';
  const extension = extensionOf(name);
  if (REFUSED.has(extension)) {
    return `"${name}" is a file type mailroom does not send (${extension}): Amazon SES refuses it, and mailroom refuses it with every relay`;
  }
  return undefined;
}
