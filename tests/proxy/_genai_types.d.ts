// The slice of @google/genai's API the SDK tests use (see sdk_gemini_test.ts for why the
// package's own declarations stay out of the type-checked program).
export interface GenerateContentResponse {
  readonly text: string | undefined;
  readonly candidates?: ReadonlyArray<{ readonly finishReason?: string }>;
}
export interface ContentParams {
  readonly model: string;
  readonly contents: string;
}
export declare class GoogleGenAI {
  constructor(options: { apiKey: string; httpOptions?: { baseUrl?: string } });
  readonly models: {
    generateContent(params: ContentParams): Promise<GenerateContentResponse>;
    generateContentStream(params: ContentParams): Promise<AsyncGenerator<GenerateContentResponse>>;
    countTokens(params: ContentParams): Promise<{ totalTokens?: number }>;
    embedContent(
      params: ContentParams,
    ): Promise<{ embeddings?: ReadonlyArray<{ values?: number[] }> }>;
  };
}
