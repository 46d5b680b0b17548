// PKCS#12 files made here by openssl, read back into PEM.
import { assertEquals, assertRejects, assertStringIncludes } from "../assert.ts";
import { readPkcs12 } from "../../src/crypto/pkcs12.ts";

async function openssl(args: string[]): Promise<void> {
  const out = await new Deno.Command("openssl", { args, stdout: "null", stderr: "piped" })
    .output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
}

/** A CA and a leaf signed by it, in `dir`. */
async function chain(dir: string): Promise<void> {
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  await openssl(["req", "-x509", ...ec, "-days", "2", "-subj", "/CN=test-ca"]
    .concat(["-keyout", `${dir}/ca.key`, "-out", `${dir}/ca.pem`]));
  await openssl(["req", ...ec, "-subj", "/CN=localhost", "-keyout", `${dir}/leaf.key`]
    .concat(["-out", `${dir}/leaf.csr`]));
  await openssl(
    ["x509", "-req", "-in", `${dir}/leaf.csr`, "-CA", `${dir}/ca.pem`]
      .concat(["-CAkey", `${dir}/ca.key`, "-CAcreateserial", "-days", "2"])
      .concat(["-out", `${dir}/leaf.pem`]),
  );
}

const der = (pem: string) => pem.replace(/-----[^-]+-----|\s/g, "");

Deno.test("a PKCS#12 chain reads back as the key and the leaf first, then the CA, for every MAC hash", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haechi-p12-" });
  try {
    await chain(dir);
    const leaf = await Deno.readTextFile(`${dir}/leaf.pem`);
    const ca = await Deno.readTextFile(`${dir}/ca.pem`);
    for (const mac of ["sha1", "sha256", "sha512"]) {
      // The CA is listed first in the file; the leaf (the key's certificate) must lead.
      await openssl(
        ["pkcs12", "-export", "-in", `${dir}/leaf.pem`, "-inkey", `${dir}/leaf.key`]
          .concat(["-certfile", `${dir}/ca.pem`, "-macalg", mac, "-passout", "pass:pw"])
          .concat(["-out", `${dir}/s.pfx`]),
      );
      const pem = await readPkcs12(await Deno.readFile(`${dir}/s.pfx`), "pw");
      const certs = pem.cert.split("-----END CERTIFICATE-----\n").filter((c) => c !== "");
      assertEquals(certs.map(der), [der(leaf), der(ca)], mac);
      const key = await Deno.readTextFile(`${dir}/leaf.key`);
      assertEquals(der(pem.key), der(key), mac);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a wrong passphrase, a file without a MAC and a non-PKCS#12 file are refused by cause", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haechi-p12-" });
  try {
    await chain(dir);
    const base = ["pkcs12", "-export", "-in", `${dir}/leaf.pem`, "-inkey", `${dir}/leaf.key`];
    await openssl([...base, "-passout", "pass:pw", "-out", `${dir}/s.pfx`]);
    const bytes = await Deno.readFile(`${dir}/s.pfx`);
    await assertRejects(() => readPkcs12(bytes, "nope"), Error, "wrong passphrase");
    await openssl([...base, "-nomac", "-passout", "pass:pw", "-out", `${dir}/n.pfx`]);
    await assertRejects(
      () => readPkcs12(Deno.readFileSync(`${dir}/n.pfx`), "pw"),
      Error,
      "no integrity MAC",
    );
    const e = await assertRejects(
      () => readPkcs12(new TextEncoder().encode("-----BEGIN CERTIFICATE-----"), "pw"),
      Error,
    );
    assertStringIncludes(e.message, "not a PKCS#12 file");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
