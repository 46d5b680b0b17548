// Drives the official Google Gen AI SDK against a gateway URL and prints, as one JSON line,
// what it received. sdk_gemini_test.ts runs this in a child process with --no-lock: the
// SDK depends (through protobufjs) on @types/node, and once that package sits in the
// project's deno.lock, Deno type-checks the rest of the suite against it, which breaks
// tests/assert.ts. The child keeps the SDK out of the project's lock, and the specifier is
// not a literal so `deno check tests/` does not follow it either; `GenAI` below declares
// the slice of the API used here.

interface Reply {
  readonly text: string | undefined;
  readonly candidates?: ReadonlyArray<{ readonly finishReason?: string }>;
}
interface Params {
  readonly model: string;
  readonly contents: string;
}
interface GenAI {
  readonly models: {
    generateContent(p: Params): Promise<Reply>;
    generateContentStream(p: Params): Promise<AsyncIterable<Reply>>;
    countTokens(p: Params): Promise<{ totalTokens?: number }>;
    embedContent(p: Params): Promise<{ embeddings?: ReadonlyArray<{ values?: number[] }> }>;
  };
}
const SPECIFIER: string = "npm:@google/genai@3.3.0";
const { GoogleGenAI } = await import(SPECIFIER) as {
  GoogleGenAI: new (o: { apiKey: string; httpOptions: { baseUrl: string } }) => GenAI;
};

const [url, prompt] = Deno.args;
const realFetch = globalThis.fetch;
const bodies: Promise<string>[] = [];
// Keep a copy of every body the gateway sent, read to its end even where the SDK stops.
globalThis.fetch = async (input, init) => {
  const res = await realFetch(input, init);
  if (res.body === null) return res;
  const [mine, copy] = res.body.tee();
  bodies.push(new Response(copy).text());
  return new Response(mine, {
    status: res.status,
    statusText: res.statusText,
    headers: res.headers,
  });
};

const ai = new GoogleGenAI({ apiKey: "test-not-a-secret", httpOptions: { baseUrl: url } });
const whole = await ai.models.generateContent({ model: "mock-model", contents: prompt });
const stream = await ai.models.generateContentStream({ model: "mock-model", contents: prompt });
let streamed = "";
const reasons: Array<string | null> = [];
for await (const chunk of stream) {
  streamed += chunk.text ?? "";
  reasons.push(chunk.candidates?.[0]?.finishReason ?? null);
}
const count = await ai.models.countTokens({ model: "mock-model", contents: prompt });
const emb = await ai.models.embedContent({ model: "mock-model", contents: prompt });
console.log(JSON.stringify({
  whole: whole.text ?? "",
  streamed,
  reasons,
  totalTokens: count.totalTokens ?? null,
  embeddingLength: emb.embeddings?.[0]?.values?.length ?? 0,
  raw: (await Promise.all(bodies)).join("\n"),
}));
