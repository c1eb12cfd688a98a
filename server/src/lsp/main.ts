/**
 * Entry point of the language server: `node dist/server.js --stdio` (any LSP client), or started by the VS Code
 * client over IPC.
 */
import {createConnection, ProposedFeatures} from 'vscode-languageserver/node.js';
import {startServer} from './server.js';

startServer(createConnection(ProposedFeatures.all));
