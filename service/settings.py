"""One settings tree for the whole service, read from NEWSDESK_* environment variables.

Nested fields use a double underscore: NEWSDESK_LLM__BACKEND=openai, NEWSDESK_STORE__PORT=8001.
Build it once with `Settings()` at the edge (CLI, app factory) and pass it in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class StoreSettings(BaseModel):
    mode: Literal["embedded", "server"] = Field(
        "embedded",
        description="'embedded': a Chroma PersistentClient under data_dir, owned by one process. "
        "'server': a Chroma server (chroma run) shared by several API processes.",
    )
    host: str = Field("127.0.0.1", description="Chroma server host, used when mode is 'server'.")
    port: int = Field(8001, description="Chroma server port, used when mode is 'server'.")
    collection_prefix: str = Field(
        "newsdesk", description="Prefix of the Chroma collection names (chunks, articles, meta)."
    )
    hnsw_sync_threshold: int = Field(
        10_000,
        ge=1,
        description="Vectors added between two saves of Chroma's vector index to disk. Each save writes the "
        "whole index (about 7 s at a million chunks), so Chroma's own 1,000 made adding news cost a quarter more "
        "than embedding it; vectors not yet saved are replayed from Chroma's log when the store next opens "
        "(about 5 s per 10,000 at a million chunks, during start-up). Applied to existing collections on open.",
    )


class EmbeddingSettings(BaseModel):
    backend: Literal["local", "openai"] = Field(
        "local",
        description="'local': all-MiniLM-L6-v2 int8 ONNX from installed packages, no network. "
        "'openai': any OpenAI-compatible /v1/embeddings endpoint.",
    )
    threads: int = Field(2, ge=1, description="CPU threads for the local ONNX embedder.")
    batch_size: int = Field(32, ge=1, le=512, description="Texts embedded per batch.")
    max_tokens: int = Field(256, ge=16, le=512, description="Local embedder truncation length.")
    base_url: str = Field(
        "http://127.0.0.1:8080/v1", description="Base URL of the OpenAI-compatible embeddings API."
    )
    model: str = Field("text-embedding-3-small", description="Embedding model name for 'openai'.")
    api_key: SecretStr = Field(SecretStr("not-needed"), description="API key for 'openai'.")


class LLMSettings(BaseModel):
    backend: Literal["local", "openai"] = Field(
        "local",
        description="'local': llama-cpp-python in-process on a GGUF file. "
        "'openai': any OpenAI-compatible chat completions endpoint.",
    )
    preset: str = Field(
        "qwen2.5-1.5b",
        description="Local model preset (see service/components/model_presets.py): "
        "qwen2.5-1.5b (best), qwen2.5-0.5b (faster), smollm2-135m (plumbing tests only).",
    )
    model_path: Path | None = Field(
        None, description="A GGUF file to run instead of the preset (local backend)."
    )
    threads: int = Field(2, ge=1, description="CPU threads for the local model.")
    context_tokens: int = Field(4096, ge=512, description="Context window of the local model.")
    map_model_file: bool = Field(
        False,
        description="Map the GGUF file into memory instead of reading it. llama.cpp repacks most weights "
        "into its own faster layout at load, so a mapped file stays resident beside that copy: the 1.5B "
        "model holds 1.9 GB mapped, 1.3 GB read, at the same speed. Mapping pays only when three or "
        "more processes on one machine load the same file.",
    )
    flash_attention: bool = Field(
        True,
        description="llama.cpp's fused attention kernel: on 2 cores the 1.5B model answered 16 real prompts in "
        "8% less time (eval/bench_flash_attention.py), prefilled a 1,000-token prompt 6% faster, and scored "
        "the fixed and public sets the same (README, 'Local model presets').",
    )
    max_answer_tokens: int = Field(256, ge=16, le=4096, description="Generation limit per answer.")
    stop_when_complete: bool = Field(
        True,
        description="Stop the model once the answer is complete: after a verified sentence, one that "
        "repeats it, changes the subject, echoes the prompt or refuses; or at max_answer_sentences.",
    )
    max_answer_sentences: int = Field(
        3, ge=1, le=20, description="With stop_when_complete: stop after this many verified sentences "
        "(the prompt asks for at most three).",
    )
    temperature: float = Field(0.0, ge=0.0, le=2.0, description="Sampling temperature.")
    base_url: str = Field(
        "http://127.0.0.1:8080/v1", description="Base URL of the OpenAI-compatible chat API."
    )
    model: str = Field("gpt-4o-mini", description="Chat model name for the 'openai' backend.")
    api_key: SecretStr = Field(SecretStr("not-needed"), description="API key for 'openai'.")
    timeout_s: float = Field(
        60.0,
        gt=0,
        description="Total deadline of one model call of the 'openai' backend, retries and slow "
        "streams included (each read also times out after this long).",
    )
    neutralize_sources: bool = Field(
        True,
        description="Defuse chat-template control tokens and fake source markers in article text "
        "before it reaches a prompt. Turn off only to measure the attack suite without defences.",
    )
    degrade_on_failure: bool = Field(
        True,
        description="When the model fails but retrieval worked, answer with the best verified "
        "passages marked degraded instead of a 503.",
    )
    max_retries: int = Field(
        2, ge=0, le=10, description="Retries with backoff on 429, 5xx and timeouts ('openai')."
    )


class ChunkingSettings(BaseModel):
    max_tokens: int = Field(200, ge=32, le=1024, description="Target chunk size in tokens.")
    overlap_tokens: int = Field(40, ge=0, le=256, description="Tokens shared by adjacent chunks.")


class RetrievalSettings(BaseModel):
    k: int = Field(
        10,
        ge=1,
        le=20,
        description="Passages retrieved for a question. With 'sentences' evidence their sentences compete for "
        "evidence_tokens, so the model reads the best of all k, not k whole passages: choosing from 10 rather "
        "than 5 puts the answer in the prompt more often at the same budget (README, 'Evidence').",
    )
    candidates: int = Field(40, ge=5, le=500, description="Candidates per retriever before fusion.")
    passage_tokens: int = Field(
        110,
        ge=0,
        le=1024,
        description="Each passage given to the model is cut to its most relevant window of "
        "consecutive sentences of at most this many tokens (0 keeps whole chunks).",
    )
    evidence: Literal["sentences", "windows"] = Field(
        "sentences",
        description="What the model reads: 'sentences', the best sentences across all k passages within "
        "evidence_tokens; 'windows', each passage cut to one window of passage_tokens.",
    )
    evidence_tokens: int = Field(
        400,
        ge=32,
        le=4096,
        description="Token budget of all evidence together when evidence is 'sentences'. From 10 passages "
        "with the learned scorer, 400 tokens hold the answer for 0.45 of public dev questions and 300 for "
        "0.42, cross-validated; 300 saves about 100 prompt tokens a question (README, 'Evidence').",
    )
    sources_by_article: bool = Field(
        True,
        description="Show the evidence of one article as one numbered source (its sentences in article order "
        "under one title line) rather than one source per chunk: about 70 fewer prompt tokens a question "
        "(README, 'Evidence').",
    )
    evidence_order: Literal["article", "best_first"] = Field(
        "best_first",
        description="The order of an article's evidence sentences in its source: 'best_first', the sentence "
        "most likely to hold the answer first (one that needs its neighbour keeps it beside it; one whose "
        "neighbour its passage lacks comes last); 'article', as the article has them. The small model "
        "answers from the first sentences it reads: best first, the fixed and asked sets gained answers and "
        "lost none (README, 'The best sentence first'). Sources are always in the order of their best sentence.",
    )
    evidence_scorer: Literal["learned", "rules"] = Field(
        "learned",
        description="How sentences are scored for 'sentences' evidence: 'learned', the sentence model "
        "(service/models/sentence_ranker.txt, trained by eval/train_sentence_ranker.py); 'rules', shared "
        "words, names and figures with the question.",
    )
    evidence_min_probability: float = Field(
        0.0,
        ge=0.0,
        le=1.0,
        description="With the learned scorer, a sentence less likely than this to hold the answer is left "
        "out even when the token budget has room. 0 fills the budget: on the public dev set, 0.02 saved 7 "
        "tokens a question and lost 1 point of answer-in-prompt (eval/train_sentence_ranker.py).",
    )
    sentence_vectors: bool = Field(
        True,
        description="With the learned scorer: embed each chunk's sentences at ingest and keep the vectors in "
        "<data_dir>/sentence_vectors.sqlite3, so a question reads them (about 1 ms) instead of embedding its "
        "candidates' sentences (about 400 ms on 2 cores). Sentences not stored yet are embedded when first "
        "asked for, and stored then.",
    )
    rerank: bool = Field(
        False,
        description="Reorder the fused candidates with the learned reranker (service/models/reranker.txt, "
        "trained by eval/train_reranker.py) before the top k are taken. Off by default: it lifts the public "
        "set's held-out weeks but lowers hand-written attribution questions (see the README).",
    )
    rerank_depth: int = Field(30, ge=1, le=200, description="Fused candidates the reranker reorders.")
    rrf_k: int = Field(60, ge=1, description="Reciprocal rank fusion constant.")
    recency_half_life_days: float = Field(
        0.0,
        ge=0.0,
        description="When > 0 and the question has no explicit date range, fused scores are "
        "weighted down by age relative to as_of with this half-life. 0 disables.",
    )
    latest_half_life_days: float = Field(
        2.0,
        gt=0.0,
        description="For questions that ask for the latest news (\"what's the latest on X\", \"any update on\"): "
        "fused scores are weighted down by age relative to as_of with this half-life, so a story's newest "
        "reports lead (README, 'Time words').",
    )
    latest_relative_similarity: float = Field(
        0.7,
        ge=0.0,
        le=1.0,
        description="For questions that ask for the latest news: a passage less similar to the question than "
        "this share of the most similar one's cosine is left out, so today's stories about something else "
        "do not fill the prompt because they are new; not for news in general (\"any updates?\"). 0 keeps "
        "every passage. 0.7 chosen on the latest set's tune half (README, 'Time words').",
    )
    soft_window_boost: float = Field(
        2.0,
        ge=1.0,
        description="For spans (this week, this month, past N days, in <month>) and days named in the question "
        "(on Monday, March 3): a passage's score counts this many times when it lies in the range, and "
        "passages outside still compete (a week's news rests on facts reported earlier; an event is "
        "previewed before its day and reported after). Today, yesterday and N days ago filter strictly.",
    )
    strict_vague_windows: bool = Field(
        False, description="Filter strictly on spans and named days too, as for today or yesterday."
    )


class LexicalSettings(BaseModel):
    engine: Literal["fts5", "bm25s"] = Field(
        "fts5",
        description="'fts5': an SQLite FTS5 file beside the store, written with every ingest and deletion, "
        "shared by every process that uses the same file. 'bm25s': the older in-memory index, rebuilt in the "
        "first search after any write (seconds at 100k chunks).",
    )
    path: Path | None = Field(
        None,
        description="The FTS5 file; default <data_dir>/lexical.sqlite3. API processes that share a Chroma "
        "server on one machine must share this file too (each writes it as it writes the store).",
    )
    max_scored: int = Field(
        5_000,
        ge=100,
        description="Expected matching chunks scored in SQL per search: past it the most common query terms "
        "only rescore the candidates the rarer ones found (keeps a search bounded at a million chunks).",
    )


class IngestSettings(BaseModel):
    max_file_bytes: int = Field(
        64_000_000, ge=1_000, description="Files larger than this are rejected, not read."
    )
    max_article_chars: int = Field(200_000, ge=1_000, description="Articles with a longer body are rejected.")


class APIKey(BaseModel):
    name: str = Field(description="Who holds the key; appears in logs instead of the key.")
    sha256: str = Field(description="SHA-256 hex digest of the key (newsdesk keys hash < key).")
    role: Literal["read", "write"] = Field("read", description="'write' may also ingest and delete.")
    requests_per_minute: int = Field(120, ge=1, description="Rate limit of this key.")


class APISettings(BaseModel):
    host: str = Field("127.0.0.1", description="Address the API binds to.")
    port: int = Field(8000, description="Port the API listens on.")
    max_question_chars: int = Field(2000, ge=10, description="Longest accepted question.")
    max_batch_articles: int = Field(500, ge=1, description="Most articles per POST /v1/articles.")
    max_body_bytes: int = Field(20_000_000, ge=1_000, description="Largest accepted request body.")
    keys: list[APIKey] = Field(
        default_factory=list,
        description="API keys (hashed). With none, the server binds to loopback only and needs no key.",
    )
    anonymous_requests_per_minute: int = Field(
        600, ge=1, description="Rate limit per client address when no keys are configured."
    )
    log_format: Literal["json", "text"] = Field(
        "json",
        description="`newsdesk serve` log lines: 'json' (one object per line with ts, level, logger, "
        "request_id, method, route, status, duration_ms, caller) or 'text'.",
    )


class FeedSettings(BaseModel):
    poll_interval_minutes: float = Field(
        15.0, gt=0, description="How often `newsdesk serve` polls each feed (a failing feed waits longer)."
    )
    background_poll: bool = Field(
        True, description="Poll the configured feeds in the background while `newsdesk serve` runs."
    )
    allow_private_addresses: bool = Field(
        False,
        description="Let feeds and pages be fetched from loopback, link-local and private addresses. "
        "Off: a write-key holder cannot make the server probe the internal network. Tests turn it on "
        "for their loopback servers.",
    )
    user_agent: str = Field(
        "Newsdesk/0.1 (news Q&A feed reader; polls each feed at most every few minutes)",
        description="User-Agent sent with every feed and page request.",
    )
    timeout_s: float = Field(10.0, gt=0, description="Connect and read timeout of one request.")
    deadline_s: float = Field(
        30.0, gt=0, description="Most seconds one download may take in all, redirects and slow bodies included."
    )
    max_download_bytes: int = Field(
        5_000_000, ge=10_000, description="A feed or page larger than this is refused while it streams in."
    )
    max_redirects: int = Field(5, ge=0, le=20, description="Redirects followed per download.")
    workers: int = Field(
        4, ge=1, le=32, description="Feeds fetched at once (always at most one request at a time per host)."
    )
    max_backoff_minutes: float = Field(
        360.0, gt=0, description="Longest wait before retrying a feed that keeps failing (doubling from the interval)."
    )
    full_content_min_chars: int = Field(
        400,
        ge=0,
        description="An entry whose feed content has fewer characters of text is taken as a teaser and "
        "its page is fetched instead.",
    )
    max_pages_per_poll: int = Field(
        100, ge=0, description="Most article pages fetched for one feed in one poll; the rest wait for the next."
    )


class EvalSettings(BaseModel):
    judge_base_url: str | None = Field(
        None,
        description="OpenAI-compatible endpoint of a judge model for citations in `newsdesk eval run`; "
        "unset: citations are judged by the project's own support check only.",
    )
    judge_model: str = Field("gpt-4o-mini", description="Judge model name at judge_base_url.")
    judge_api_key: SecretStr = Field(SecretStr("not-needed"), description="API key of the judge endpoint.")
    judge_timeout_s: float = Field(60.0, gt=0, description="Per-call timeout of the judge.")
    mc_retrieval: Literal["question", "item"] = Field(
        "question",
        description="What a multiple-choice question is searched with in `newsdesk eval run`: 'question', the "
        "question alone (the free-form answer's passages); 'item', the question with its options, as the "
        "product would be asked the whole item. Free-form answers always search with the question alone. On "
        "the 215 public questions 'item' picked 135 right against 131, within noise (README, 'Evaluation and "
        "benchmarks').",
    )


class AnsweringSettings(BaseModel):
    answerability: Literal["shape", "focus", "judge", "focus+judge"] = Field(
        "focus",
        description="After verification, do the kept sentences answer the question? 'shape' (the older check): "
        "the answer holds a number, name or time when the question asks for one; 'focus': also the kind, the "
        "thing counted, the period, the speaker and the act asked about (service/answerability.py); 'judge': "
        "the answering model replies YES or NO (prompts/judge_answer.md, one token; it missed more and added "
        "seconds per question, eval/answerability_eval.py); 'focus+judge': both. An answer that does not answer "
        "becomes a refusal with the closest passages and a refusal_reason.",
    )


class DigestSettings(BaseModel):
    evidence_tokens: int = Field(
        120,
        ge=32,
        le=2048,
        description="Token budget of what the model reads for one story: the sentences of its articles' leads "
        "that best match the headline (the evidence selector answers use). Smaller is faster on a CPU.",
    )
    lead_articles: int = Field(4, ge=1, le=20, description="Distinct articles of a story whose lead is read.")
    sentences_per_story: int = Field(2, ge=1, le=6, description="Most verified sentences a story's summary keeps.")
    max_tokens: int = Field(
        100,
        ge=16,
        le=1024,
        description="Generation limit of one story's model call: two short sentences with citations fit.",
    )


class StartupSettings(BaseModel):
    preload: bool = Field(
        True,
        description="`newsdesk serve` loads the model, the embedder, the lexical index and the sentence scorer "
        "at start-up, in a background thread while it already accepts connections; /healthz says 'loading' "
        "until they are in. Off: each part loads on the first request that needs it (tests that want no model).",
    )
    warm_up: bool = Field(
        True,
        description="After preloading, run one short generation over the answer prompt, so the first question "
        "finds the model's pages in memory and the prompt's fixed prefix cached, as the tenth does.",
    )
    wait_s: float = Field(
        30.0,
        ge=0,
        description="How long a request that needs the model or the index waits while they are still loading; "
        "past it the request gets 503 with Retry-After.",
    )
    retry_after_s: int = Field(
        5, ge=1, description="The Retry-After seconds of a 503 sent while the service is still loading."
    )


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NEWSDESK_", env_nested_delimiter="__", extra="ignore")

    data_dir: Path = Field(
        Path(".newsdesk"), description="Where the index, caches and assembled models live."
    )
    models_dir: Path = Field(
        Path(".newsdesk/models"), description="Where split model presets are assembled (about 1 GB each)."
    )
    store: StoreSettings = Field(default_factory=StoreSettings, description="Vector store.")
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings, description="Embedding backend.")
    llm: LLMSettings = Field(default_factory=LLMSettings, description="Chat model backend.")
    chunking: ChunkingSettings = Field(default_factory=ChunkingSettings, description="Chunk sizes.")
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings, description="Search and fusion.")
    lexical: LexicalSettings = Field(default_factory=LexicalSettings, description="Keyword (BM25) index.")
    ingest: IngestSettings = Field(default_factory=IngestSettings, description="Input limits.")
    api: APISettings = Field(default_factory=APISettings, description="HTTP server.")
    eval: EvalSettings = Field(default_factory=EvalSettings, description="Evaluation runs.")
    answering: AnsweringSettings = Field(default_factory=AnsweringSettings, description="Answerability check.")
    feeds: FeedSettings = Field(default_factory=FeedSettings, description="Feed polling and page fetching.")
    digest: DigestSettings = Field(default_factory=DigestSettings, description="Daily digest summaries.")
    startup: StartupSettings = Field(
        default_factory=StartupSettings, description="Loading and warming up at `newsdesk serve` start-up."
    )
    prompts_dir: Path = Field(
        Path(__file__).resolve().parent.parent / "prompts",
        description="Folder of prompt templates.",
    )
