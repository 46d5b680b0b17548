// A tiny CLI entry for end-to-end tests: runs mcp-wrap or mcp-stdio with the real stdio,
// the way main.ts will once the commands are registered.
import { mcpStdioCommand } from "../../src/cli/mcp_stdio.ts";
import { mcpWrapCommand } from "../../src/cli/mcp_wrap.ts";
import { exitCodeFor } from "../../src/cli/exit_codes.ts";
import { toHaechiError } from "../../src/errors.ts";
import { environment, stderrSink, stdinStream, stdoutSink } from "../../src/runtime/mod.ts";

const [name, ...rest] = Deno.args;
const command = name === "mcp-stdio" ? mcpStdioCommand : mcpWrapCommand;
const io = {
  stdin: stdinStream,
  stdout: stdoutSink(),
  stderr: stderrSink(),
  env: environment(),
  color: { stdout: false, stderr: false },
};
let code: number;
try {
  code = await command.run(rest, io);
} catch (e) {
  const err = toHaechiError(e);
  await io.stderr.write(`haechi: ${err.message}\n`);
  code = exitCodeFor(err.code);
}
Deno.exit(code);
