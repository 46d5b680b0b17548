/**
 * `deno task build:deb`: `dist/haechi_<version>_<arch>.deb`, built with dpkg-deb.
 *
 * The package carries one runnable haechi:
 * - with `--binary PATH` (the release workflow passes the `deno compile` output), that
 *   binary becomes `/usr/bin/haechi`;
 * - with `--sea`, the Node single executable of `scripts/build_sea.ts` is built and
 *   becomes `/usr/bin/haechi`: the single binary that can be built where `deno compile`
 *   cannot fetch its runtime;
 * - without it, the Deno executable running this script and haechi's sources go to
 *   `/usr/lib/haechi`, and `/usr/bin/haechi` is a launcher granting the same permissions as
 *   the compiled binary. This is what can be built where `deno compile` cannot fetch its
 *   runtime.
 *
 * Either way it installs a systemd unit (`haechi.service`, user `haechi`, state in
 * `/var/lib/haechi`) and the `/etc/haechi` layout (`haechi.config.json`, a conffile written
 * by `haechi init` on first install; keys stay in `/var/lib/haechi`).
 *
 * ```sh
 * deno task build:deb [--binary dist/haechi | --sea] [--out dist]
 * ```
 *
 * @module
 */
import { buildSea } from "./build_sea.ts";
import { compileArgs } from "./compile.ts";
import { VERSION } from "../src/version.ts";

const ROOT = new URL("../", import.meta.url);

/** The systemd unit: hardened, loopback by default, state only in /var/lib/haechi. */
export const SERVICE_UNIT = `[Unit]
Description=haechi privacy gateway
Documentation=https://jsr.io/@haechi/cli
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
User=haechi
Group=haechi
WorkingDirectory=/var/lib/haechi
EnvironmentFile=-/etc/default/haechi
ExecStart=/usr/bin/haechi proxy --config /etc/haechi/haechi.config.json
Restart=on-failure
# Each client connection holds three descriptors (the head-timeout front layer).
LimitNOFILE=65536
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes
ReadWritePaths=/var/lib/haechi
CapabilityBoundingSet=
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX

[Install]
WantedBy=multi-user.target
`;

/** Permission flags the launcher grants: exactly those of the compiled binary. */
export function launcherPermissions(): string[] {
  return compileArgs("x").filter((a) => a.startsWith("--allow-") || a.startsWith("--unstable-"));
}

function control(arch: string, installedKb: number): string {
  return `Package: haechi
Version: ${VERSION}
Architecture: ${arch}
Maintainer: The haechi authors <haechi@localhost>
Installed-Size: ${installedKb}
Depends: adduser
Section: net
Priority: optional
Homepage: https://jsr.io/@haechi/cli
Description: privacy gateway for LLM and MCP traffic
 haechi sits between apps or agents and the models and tools they call, and
 redacts, masks, tokenizes, encrypts or blocks secrets and personal data before
 they leave, restoring tokens for the caller on the way back.
`;
}

const POSTINST = `#!/bin/sh
set -e
if [ "$1" = configure ]; then
  mkdir -p /var/lib/haechi
  if ! getent passwd haechi >/dev/null; then
    adduser --system --group --home /var/lib/haechi --no-create-home haechi >/dev/null
  fi
  chown haechi:haechi /var/lib/haechi
  chmod 0750 /var/lib/haechi
  if [ ! -e /etc/haechi/haechi.config.json ]; then
    (cd /var/lib/haechi && runuser -u haechi -- /usr/bin/haechi init --config /var/lib/haechi/haechi.config.json >/dev/null)
    # State paths made absolute, so they hold whatever folder a command runs from.
    sed 's|"\\.haechi/|"/var/lib/haechi/.haechi/|' /var/lib/haechi/haechi.config.json > /etc/haechi/haechi.config.json
    chmod 0644 /etc/haechi/haechi.config.json
    rm -f /var/lib/haechi/haechi.config.json
  fi
  if [ -d /run/systemd/system ]; then systemctl daemon-reload >/dev/null || true; fi
fi
`;

const PRERM = `#!/bin/sh
set -e
if [ -d /run/systemd/system ] && [ "$1" = remove ]; then
  systemctl stop haechi.service >/dev/null 2>&1 || true
fi
`;

const POSTRM = `#!/bin/sh
set -e
if [ "$1" = purge ]; then
  rm -rf /var/lib/haechi /etc/haechi
  if getent passwd haechi >/dev/null; then deluser --system haechi >/dev/null || true; fi
fi
if [ -d /run/systemd/system ]; then systemctl daemon-reload >/dev/null 2>&1 || true; fi
`;

async function write(path: string, text: string, mode = 0o644): Promise<void> {
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  await Deno.writeTextFile(path, text);
  await Deno.chmod(path, mode);
}

async function copyTree(from: URL, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) {
    if (e.isDirectory) await copyTree(new URL(`${e.name}/`, from), `${to}/${e.name}`);
    else if (e.isFile) await Deno.copyFile(new URL(e.name, from), `${to}/${e.name}`);
  }
}

async function duKb(dir: string): Promise<number> {
  let bytes = 0;
  const walk = async (d: string) => {
    for await (const e of Deno.readDir(d)) {
      const p = `${d}/${e.name}`;
      if (e.isDirectory) await walk(p);
      else bytes += (await Deno.lstat(p)).size;
    }
  };
  await walk(dir);
  return Math.ceil(bytes / 1024);
}

async function run(cmd: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  if (out.code !== 0) {
    throw new Error(`${cmd} ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
  return new TextDecoder().decode(out.stdout).trim();
}

/** Options for {@linkcode buildDeb}. */
export interface BuildDebOptions {
  /** A standalone haechi binary; without one, Deno and the sources are packaged. */
  readonly binary?: string;
  /** Output folder (default `dist`). */
  readonly outDir?: string;
}

/**
 * Build the package and return its path.
 *
 * @param options Binary and output folder.
 * @returns Path of the `.deb`.
 */
export async function buildDeb(options: BuildDebOptions = {}): Promise<string> {
  const arch = await run("dpkg", ["--print-architecture"]);
  const outDir = options.outDir ?? new URL("dist", ROOT).pathname;
  const stage = await Deno.makeTempDir({ prefix: "haechi-deb-" });
  try {
    if (options.binary !== undefined) {
      await Deno.mkdir(`${stage}/usr/bin`, { recursive: true });
      await Deno.copyFile(options.binary, `${stage}/usr/bin/haechi`);
      await Deno.chmod(`${stage}/usr/bin/haechi`, 0o755);
    } else {
      const lib = `${stage}/usr/lib/haechi`;
      await Deno.mkdir(lib, { recursive: true });
      await Deno.copyFile(Deno.execPath(), `${lib}/deno`);
      await Deno.chmod(`${lib}/deno`, 0o755);
      await copyTree(new URL("src/", ROOT), `${lib}/app/src`);
      await copyTree(new URL("examples/plugins/", ROOT), `${lib}/app/examples/plugins`);
      for (const f of ["main.ts", "mod.ts", "deno.json", "LICENSE", "NOTICE"]) {
        await Deno.copyFile(new URL(f, ROOT), `${lib}/app/${f}`);
      }
      // No lock file: the core has no dependencies to pin, and a read-only lock beside a
      // system-wide install would only produce write errors.
      const flags = launcherPermissions().join(" ");
      await write(
        `${stage}/usr/bin/haechi`,
        `#!/bin/sh\nexport DENO_NO_UPDATE_CHECK=1\nexec /usr/lib/haechi/deno run --quiet --no-lock --no-remote --no-npm ${flags} /usr/lib/haechi/app/main.ts "$@"\n`,
        0o755,
      );
    }
    await write(`${stage}/lib/systemd/system/haechi.service`, SERVICE_UNIT);
    await write(
      `${stage}/etc/default/haechi`,
      "# Environment for haechi.service, e.g.\n# HAECHI_UPSTREAM=http://127.0.0.1:11434\n",
    );
    await Deno.mkdir(`${stage}/etc/haechi`, { recursive: true });
    await write(
      `${stage}/usr/share/doc/haechi/copyright`,
      await Deno.readTextFile(new URL("LICENSE", ROOT)),
    );
    const size = await duKb(stage);
    await write(`${stage}/DEBIAN/control`, control(arch, size));
    await write(`${stage}/DEBIAN/conffiles`, "/etc/default/haechi\n");
    await write(`${stage}/DEBIAN/postinst`, POSTINST, 0o755);
    await write(`${stage}/DEBIAN/prerm`, PRERM, 0o755);
    await write(`${stage}/DEBIAN/postrm`, POSTRM, 0o755);
    await Deno.mkdir(outDir, { recursive: true });
    const out = `${outDir}/haechi_${VERSION}_${arch}.deb`;
    await run("dpkg-deb", ["--root-owner-group", "-Zgzip", "--build", stage, out]);
    return out;
  } finally {
    await Deno.remove(stage, { recursive: true });
  }
}

if (import.meta.main) {
  const args = Deno.args;
  const at = (flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  let binary = at("--binary");
  let work: string | null = null;
  if (binary === undefined && args.includes("--sea")) {
    work = await Deno.makeTempDir({ prefix: "haechi-deb-sea-" });
    binary = (await buildSea(`${work}/haechi`)).path;
  }
  try {
    const path = await buildDeb({ binary, outDir: at("--out") });
    console.log(`built ${path}`);
  } finally {
    if (work !== null) await Deno.remove(work, { recursive: true });
  }
}
