/**
 * Sift's own LSP messages, shared by the language server and the VS Code client. Types and method names only:
 * the client imports this file and nothing else from the server.
 */

/** Server → client: the counts of the last analysis of a document (for the status bar). */
export const COUNTS_NOTIFICATION = 'sift/counts';
export interface CountsParams {
  uri: string;
  version: number;
  boilerplate: number;
  quotes: number;
  entities: number;
  /** Why the document was not analysed (too large, disabled, not matched by `sift.files`), if it was not. */
  skipped?: string;
}

/** Client → server: the edit that strips every boilerplate line of an open document, for the version analysed. */
export const STRIP_EDIT_REQUEST = 'sift/stripEdit';
export interface StripEditParams {
  uri: string;
  /** Keep date, byline and source-credit lines. */
  keepMetadata?: boolean;
}
export interface StripEditResult {
  /** A versioned edit (LSP `TextDocumentEdit`), or null when there is nothing to strip or no fresh analysis. */
  edit: unknown | null;
  lines: number;
  version: number | null;
}

/** Client → server: plan or apply the stripping of one file on disk (the workspace command). */
export const STRIP_FILE_REQUEST = 'sift/stripFile';
export interface StripFileParams {
  uri: string;
  /** false: only count; true: rewrite atomically if the file still has `expectedHash`. */
  apply: boolean;
  expectedHash?: string;
  keepMetadata?: boolean;
}
export interface StripFileResult {
  uri: string;
  /** Lines flagged (and removed when `apply`). */
  lines: number;
  /** sha256 of the bytes analysed. */
  hash: string | null;
  /** Set when the file was skipped or refused, with the reason. */
  skipped?: string;
  written?: boolean;
}

/** Client → server: the annotations of files as JSONL lines (the CLI's `--format json` records). */
export const EXPORT_REQUEST = 'sift/export';
export interface ExportParams {
  uris: string[];
}
export interface ExportResult {
  jsonl: string;
  skipped: Array<{uri: string; reason: string}>;
}

/** Client command ids (contributed in package.json). */
export const COMMANDS = Object.freeze({
  strip: 'sift.stripBoilerplate',
  stripWorkspace: 'sift.stripBoilerplateWorkspace',
  export: 'sift.exportAnnotations',
  exportWorkspace: 'sift.exportWorkspaceAnnotations',
  toggle: 'sift.toggle',
  keepLine: 'sift.keepLine',
  manageKept: 'sift.manageKeptLines',
  showOutput: 'sift.showOutput',
});
