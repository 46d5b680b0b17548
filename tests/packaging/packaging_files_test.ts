/**
 * The packaging files that cannot run here (the image, the compose stack, the Homebrew
 * formula, the release workflow) are checked with what can: a YAML parser, `ruby -c`, and
 * assertions on the rules they must keep (non-root, health check, TLS before a remote bind,
 * one permission set, checksums and signatures before publishing).
 */
// A test-only parser; the core stays free of third-party code.
// deno-lint-ignore no-import-prefix
import { parse } from "npm:yaml@2.9.1";
import { compileArgs, TARGETS } from "../../scripts/compile.ts";
import { VERSION } from "../../src/version.ts";
import { assert, assertEquals } from "../assert.ts";

const ROOT = new URL("../../", import.meta.url);
const read = (path: string) => Deno.readTextFile(new URL(path, ROOT));

/** Dockerfile lines with continuations joined, comments dropped, per stage. */
async function dockerStages(): Promise<string[][]> {
  const text = (await read("Dockerfile")).replace(/\\\n/g, " ");
  const stages: string[][] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    if (/^FROM\s/i.test(line)) stages.push([]);
    stages.at(-1)?.push(line);
  }
  return stages;
}

Deno.test("the image runs as a non-root user on a pinned distroless base", async () => {
  const stages = await dockerStages();
  const final = stages.at(-1)!;
  assert(/^FROM denoland\/deno:distroless-\$\{DENO_VERSION\}$/.test(final[0]), final[0]);
  const users = final.filter((l) => l.startsWith("USER "));
  assertEquals(users.length, 1);
  const user = users[0].slice(5).split(":")[0];
  assert(user !== "root" && user !== "0", `runs as ${user}`);
  for (const stage of stages) assert(!/:latest\b/.test(stage[0]), `unpinned base: ${stage[0]}`);
  const text = await read("Dockerfile");
  assert(/^ARG DENO_VERSION=2\.9\.6$/m.test(text), "the base follows the Deno the project pins");
});

Deno.test("the image health check probes /__haechi/live", async () => {
  const final = (await dockerStages()).at(-1)!;
  const hc = final.filter((l) => l.startsWith("HEALTHCHECK"));
  assertEquals(hc.length, 1);
  assert(hc[0].includes("/__haechi/live"), hc[0]);
  assert(hc[0].includes("HAECHI_PROXY_PORT"), "the probe follows a changed port");
});

Deno.test("the image binds 0.0.0.0 only together with trustForwardedProto", async () => {
  const final = (await dockerStages()).at(-1)!.join("\n");
  const binds = /HAECHI_PROXY_HOST=0\.0\.0\.0/.test(final) || /--host 0\.0\.0\.0/.test(final);
  assert(binds, "the container must listen beyond loopback to be reachable");
  assert(/HAECHI_PROXY_TRUST_FORWARDED_PROTO=true/.test(final), "remote bind without TLS guard");
  assert(/"--allow-remote-bind"/.test(final));
});

Deno.test("the image grants exactly the permissions of the compiled binary", async () => {
  const final = (await dockerStages()).at(-1)!;
  const entry = final.find((l) => l.startsWith("ENTRYPOINT"))!;
  const args: string[] = JSON.parse(entry.slice("ENTRYPOINT".length));
  const perms = (list: readonly string[]) => list.filter((a) => a.startsWith("--allow-")).sort();
  assertEquals(perms(args), perms(compileArgs("x")));
  assert(args.includes("--cached-only"), "the running container fetches nothing");
});

Deno.test(".dockerignore admits only the sources the image needs", async () => {
  const lines = (await read(".dockerignore")).split("\n").filter((l) => l && !l.startsWith("#"));
  assertEquals(lines[0], "*");
  for (const l of lines.slice(1)) assert(!/haechi|\.haechi|tests|dist/.test(l), l);
});

Deno.test("the compose stack parses and publishes only the TLS port on loopback", async () => {
  const compose = parse(await read("packaging/docker/compose.yaml"));
  const services = compose.services as Record<string, Record<string, unknown>>;
  assertEquals(Object.keys(services).sort(), ["haechi", "ollama", "tls"]);
  assertEquals(services.haechi.ports, undefined);
  assertEquals(services.ollama.ports, undefined);
  assertEquals(services.tls.ports, ["127.0.0.1:8443:8443"]);
  const env = services.haechi.environment as Record<string, string>;
  assertEquals(env.HAECHI_UPSTREAM, "http://ollama:11434");
  const tls = (services.tls.command as string[]).join(" ");
  assert(tls.includes("--to haechi:11016"), tls);
});

Deno.test("the release workflow parses and signs checksums before publishing", async () => {
  const wf = parse(await read(".github/workflows/release.yml"));
  assertEquals(wf.on.push.tags, ["v*.*.*"]);
  const jobs = wf.jobs as Record<string, { needs?: string | string[]; steps: unknown[] }>;
  for (
    const name of ["test", "binaries", "deb", "npm", "release", "publish-jsr", "publish-npm"]
  ) {
    assert(name in jobs, `job ${name} missing`);
  }
  const text = (job: string) => JSON.stringify(jobs[job].steps);
  assert(text("binaries").includes("deno task compile:all"));
  assert(text("release").includes("SHA256SUMS") && text("release").includes("cosign sign-blob"));
  assert(text("publish-jsr").includes("deno publish"));
  assert(text("publish-npm").includes("npm publish --provenance"));
  for (const pub of ["publish-jsr", "publish-npm", "image"]) {
    assertEquals(jobs[pub].needs, "release", `${pub} must wait for the signed release`);
  }
  const archives = TARGETS.filter((t) => !t.out.endsWith(".exe")).map((t) => `${t.out}.tar.gz`);
  for (const a of archives) assert(text("release").includes(a), `formula sum for ${a}`);
});

Deno.test("the Homebrew formula names every unix archive and the current version", async () => {
  const rb = await read("packaging/homebrew/haechi.rb");
  assert(rb.includes(`version "${VERSION}"`));
  assert(rb.includes(`license "Apache-2.0"`));
  for (const t of TARGETS.filter((t) => !t.out.endsWith(".exe"))) {
    assert(rb.includes(`/${t.out}.tar.gz"`), `${t.out} missing`);
  }
});

Deno.test("the Homebrew formula is valid Ruby (ruby -c)", async (t) => {
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command("ruby", {
      args: ["-c", new URL("packaging/homebrew/haechi.rb", ROOT).pathname],
      stdout: "piped",
      stderr: "piped",
    }).output();
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
    await t.step({ name: "skipped: ruby is not installed", ignore: true, fn: () => {} });
    return;
  }
  assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
  assertEquals(new TextDecoder().decode(out.stdout).trim(), "Syntax OK");
});
