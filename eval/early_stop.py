"""What stopping the model when the answer is complete saves, and whether it loses any answer.

    .venv/bin/python eval/early_stop.py --data-dir eval/runs/bench-index \\
        --questions ../shared/data/rtqa-dev/questions.jsonl --n 10 --out eval/runs/early-stop

For each question the model writes its whole reply (stop_when_complete off), each delta timed.
The reply is then fed to `SentenceStream` as it came, with stopping on, which says where the
answer would have ended: the time saved is the time the model spent after that point (at
temperature 0 the stopped reply is a prefix of the whole one). Both texts are verified; the
script counts questions whose gold answer is in the verified full answer but not in the stopped
one (answers lost) and the verified sentences each keeps.

    .venv/bin/python eval/early_stop.py --replay eval/runs/fixed-sentences-rerank-2/results.jsonl \
        --data-dir eval/runs/fixed-index --out eval/runs/early-stop-replay

With --replay no model runs: the raw replies an evaluation run saved (`raw_answer`) are fed to
`SentenceStream` against the passages retrieval gives now, and the saving is counted in generated
tokens (tiktoken) rather than seconds; gold answers are the run's `gold` list.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import time
from pathlib import Path

from service.answering import AskRequest
from service.citations import verify
from service.settings import Settings
from service.streaming import SentenceStream
from service.wiring import Services


def contains(text: str, gold: str | None) -> bool:
    return bool(gold) and str(gold).lower() in text.lower()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--questions", type=Path, help="questions.jsonl (not with --replay)")
    parser.add_argument("--n", type=int, default=10)
    parser.add_argument("--skip", type=int, default=1, help="questions to skip (the bench's warm-up one)")
    parser.add_argument("--out", type=Path, default=Path("eval/runs/early-stop"))
    parser.add_argument("--replay", type=Path, help="results.jsonl of an evaluation run: replay its raw replies")
    args = parser.parse_args()
    if args.replay:
        replay(args)
        return

    settings = Settings(data_dir=args.data_dir, llm={"stop_when_complete": False})
    services = Services(settings)
    answerer, model, llm = services.answerer, services.chat_model, settings.llm
    records = [json.loads(line) for line in args.questions.read_text().splitlines()][args.skip : args.skip + args.n]
    rows = []
    for record in records:
        as_of = dt.date.fromisoformat(record["question_date"])
        request = AskRequest(record["question"], as_of=as_of)
        passages, date_range, as_of = answerer.retrieve(request)
        if not passages:
            continue
        messages, used = answerer.prompt(request, passages, date_range, as_of)
        started = time.perf_counter()
        timed = [(delta, time.perf_counter() - started) for delta in model.stream(answerer.chat_request(messages))]
        end_s = time.perf_counter() - started
        stream = SentenceStream(record["question"], used, llm.max_answer_sentences, stop_when_complete=True)
        stop_s = end_s
        for delta, at in timed:
            stream.feed(delta)
            if stream.complete:
                stop_s = at
                break
        stream.finish()
        full = "".join(delta for delta, _ in timed)
        full_verified, stopped_verified = verify(full, used), verify(stream.answer_text, used)
        rows.append({
            "id": record["id"], "end_s": round(end_s, 2), "stop_s": round(stop_s, 2),
            "saved_s": round(end_s - stop_s, 2), "stop_reason": stream.stop_reason,
            "full_tokens": model.count_tokens(full), "stopped_tokens": model.count_tokens(stream.answer_text),
            "full_verified": sum(s.verified for s in full_verified.sentences),
            "stopped_verified": sum(s.verified for s in stopped_verified.sentences),
            "gold_in_full": contains(full_verified.text, record.get("answer")),
            "gold_in_stopped": contains(stopped_verified.text, record.get("answer")),
            "full": full, "kept": stream.answer_text,
        })
        print(json.dumps({k: v for k, v in rows[-1].items() if k not in ("full", "kept")}), flush=True)
    result = {
        "questions": len(rows),
        "stopped_early": sum(r["stop_reason"] is not None for r in rows),
        "saved_s_total": round(sum(r["saved_s"] for r in rows), 2),
        "saved_s_mean": round(statistics.fmean(r["saved_s"] for r in rows), 2),
        "end_s_mean": round(statistics.fmean(r["end_s"] for r in rows), 2),
        "answers_lost": sum(r["gold_in_full"] and not r["gold_in_stopped"] for r in rows),
        "gold_in_full": sum(r["gold_in_full"] for r in rows),
        "gold_in_stopped": sum(r["gold_in_stopped"] for r in rows),
        "verified_sentences_full": sum(r["full_verified"] for r in rows),
        "verified_sentences_stopped": sum(r["stopped_verified"] for r in rows),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "early_stop.json").write_text(json.dumps({"summary": result, "rows": rows}, indent=2))
    for key, value in result.items():
        print(f"{key:28s} {value}")



def replay(args: argparse.Namespace) -> None:
    from service.tokens import count_tokens

    run = json.loads(args.replay.with_name("run.json").read_text())
    kept_settings = {k: v for k, v in run["settings"].items() if k in ("retrieval", "chunking", "embedding")}
    settings = Settings(data_dir=args.data_dir, **kept_settings)
    answerer = Services(settings).answerer
    rows = []
    for line in args.replay.read_text().splitlines():
        record = json.loads(line)
        raw = record.get("raw_answer") or ""
        if not raw or record.get("degraded"):
            continue
        request = AskRequest(record["question"], as_of=dt.date.fromisoformat(record["as_of"]))
        passages, date_range, as_of = answerer.retrieve(request)
        _, used = answerer.prompt(request, passages, date_range, as_of)
        stream = SentenceStream(record["question"], used, settings.llm.max_answer_sentences, stop_when_complete=True)
        stream.feed(raw)
        stream.finish()
        golds = record.get("gold") or []
        full_text, kept_text = verify(raw, used).text, verify(stream.answer_text, used).text
        rows.append({
            "id": record["id"], "stop_reason": stream.stop_reason,
            "tokens": count_tokens(raw), "tokens_after_stop": count_tokens(raw) - count_tokens(stream.answer_text),
            "gold_in_full": any(contains(full_text, g) for g in golds),
            "gold_in_stopped": any(contains(kept_text, g) for g in golds),
            "raw": raw, "kept": stream.answer_text,
        })
        print(json.dumps({k: v for k, v in rows[-1].items() if k not in ("raw", "kept")}), flush=True)
    result = {
        "replies": len(rows),
        "stopped_early": sum(r["stop_reason"] is not None for r in rows),
        "tokens_total": sum(r["tokens"] for r in rows),
        "tokens_saved": sum(r["tokens_after_stop"] for r in rows),
        "answers_lost": sum(r["gold_in_full"] and not r["gold_in_stopped"] for r in rows),
        "gold_in_full": sum(r["gold_in_full"] for r in rows),
        "gold_in_stopped": sum(r["gold_in_stopped"] for r in rows),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "early_stop_replay.json").write_text(json.dumps({"summary": result, "rows": rows}, indent=2))
    for key, value in result.items():
        print(f"{key:28s} {value}")


if __name__ == "__main__":
    main()
