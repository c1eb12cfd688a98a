/**
 * The VS Code side of Sift (placeholder until the language client lands with the "Sift in VS Code" issue).
 */
import type * as vscode from 'vscode';

/**
 * Activate.
 * @param _context Extension context.
 * @returns Nothing.
 */
export function activate(_context: vscode.ExtensionContext): void {}

/**
 * Deactivate.
 * @returns Nothing.
 */
export function deactivate(): void {}
