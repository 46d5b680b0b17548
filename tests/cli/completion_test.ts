import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { COMMANDS, runCli } from "../../src/cli/mod.ts";
import { declaredFlags } from "../../src/cli/completion.ts";
import { createTestIO } from "./_io.ts";

async function script(shell: string): Promise<string> {
  const t = createTestIO();
  assertEquals(await runCli(["completion", shell], t.io), 0, t.stderr());
  return t.stdout();
}

async function bash(source: string, line: string): Promise<{ code: number; out: string }> {
  const dir = await Deno.makeTempDir({ prefix: "haechi-completion-" });
  try {
    await Deno.writeTextFile(`${dir}/haechi.bash`, source);
    const out = await new Deno.Command("bash", {
      args: ["--noprofile", "--norc", "-c", line, "bash", `${dir}/haechi.bash`],
      stdout: "piped",
      stderr: "piped",
    }).output();
    return { code: out.code, out: new TextDecoder().decode(out.stdout) };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("the bash script parses with bash -n and lists every registered command", async () => {
  const s = await script("bash");
  const check = await bash(s, 'bash -n "$1"');
  assertEquals(check.code, 0);
  for (const c of COMMANDS) assertStringIncludes(s, ` ${c.name}`);
  assertStringIncludes(s, "complete -o default -F _haechi haechi");
});

Deno.test("bash completes a command prefix and a command's flags", async () => {
  const s = await script("bash");
  const words = await bash(
    s,
    'source "$1"; COMP_WORDS=(haechi prot); COMP_CWORD=1; _haechi; echo "${COMPREPLY[*]}"',
  );
  assertEquals(words.out.trim().split(" ").sort(), ["protect"]);
  const flags = await bash(
    s,
    'source "$1"; COMP_WORDS=(haechi restore --sc); COMP_CWORD=2; _haechi; echo "${COMPREPLY[*]}"',
  );
  assertEquals(flags.out.trim(), "--scope");
});

Deno.test("the zsh and fish scripts name every command", async () => {
  const zsh = await script("zsh");
  const fish = await script("fish");
  assert(zsh.startsWith("#compdef haechi\n"));
  for (const c of COMMANDS) {
    assertStringIncludes(zsh, `'${c.name}:`);
    assertStringIncludes(fish, `-a ${c.name} `);
  }
  assertStringIncludes(fish, "__fish_seen_subcommand_from restore' -l scope");
});

Deno.test("completion without a known shell is a usage error", async () => {
  for (const args of [["completion"], ["completion", "powershell"]]) {
    const t = createTestIO();
    assertEquals(await runCli(args, t.io), 2);
    assertStringIncludes(t.stderr(), "bash|zsh|fish");
  }
});

Deno.test("completion offers the flags a command declares, --json and --help included", () => {
  const restore = COMMANDS.find((c) => c.name === "restore")!;
  const flags = declaredFlags(restore.flags);
  for (const f of ["--scope", "--config", "--json", "-h", "--help"]) assert(flags.includes(f), f);
});
