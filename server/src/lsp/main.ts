/**
 * Entry point of the language server: `node dist/server.js --stdio` (any LSP client), or started by the VS Code
 * client over IPC. The same script runs in the server's analysis workers (`analysis-pool.ts`): there it serves
 * analyses and opens no connection.
 */
import {isMainThread} from 'node:worker_threads';
import {createConnection, ProposedFeatures} from 'vscode-languageserver/node.js';
import {startServer} from './server.js';

if (isMainThread) startServer(createConnection(ProposedFeatures.all));
